-- pictor schema, version 6: what each job cost in the configured currency (config `currency`, default USD), beside
-- the provider's own figure in `spend` (AI/ML API's credits, or price-per-image times the images). It is the
-- provider's reported figure times its `credit-price` when both are known, else the route's price (or the provider's
-- price-per-image) times the images the provider returned; NULL when pictor knows no price. Plain SQL that SQLite and
-- PostgreSQL both take.

ALTER TABLE jobs ADD COLUMN cost DOUBLE PRECISION;
