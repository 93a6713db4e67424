package dev.pictor.store;

/** The two engines, each with the SQL spellings that differ between them. */
public enum Dialect {
    SQLITE("MIN", "MAX", "", "rowid", "CAST(unixepoch('subsec') * 1000 AS INTEGER)"),
    POSTGRESQL("LEAST", "GREATEST", " FOR UPDATE", "seq", "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)");

    private final String least;
    private final String greatest;
    private final String forUpdate;
    private final String postOrder;
    private final String nowMillis;

    Dialect(String least, String greatest, String forUpdate, String postOrder, String nowMillis) {
        this.least = least;
        this.greatest = greatest;
        this.forUpdate = forUpdate;
        this.postOrder = postOrder;
        this.nowMillis = nowMillis;
    }

    /** The database server's clock now, in epoch milliseconds (the same for every process on it, whatever its host's clock). */
    String nowMillis() {
        return nowMillis;
    }

    /** The smaller of two values ({@code MIN(a, b)} in SQLite, {@code LEAST(a, b)} in PostgreSQL). */
    public String least(String a, String b) {
        return least + "(" + a + ", " + b + ")";
    }

    /** The greater of two values. */
    public String greatest(String a, String b) {
        return greatest + "(" + a + ", " + b + ")";
    }

    /**
     * What ends a {@code SELECT} whose rows the transaction is about to change, so that another process's
     * transaction waits for this one instead of reading the same rows: {@code FOR UPDATE} in PostgreSQL; nothing
     * in SQLite, whose {@code BEGIN IMMEDIATE} holds the whole database.
     */
    public String forUpdate() {
        return forUpdate;
    }

    /** The column that orders {@code job_posts} as recorded. */
    String postOrder() {
        return postOrder;
    }
}
