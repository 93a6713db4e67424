package dev.pictor.core.text;

import dev.pictor.core.port.JobStats;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class StatsTextTest {
    static final LocalDate TO = LocalDate.of(2026, 12, 2);

    static JobStats figures(int members) {
        var days = new ArrayList<JobStats.Row>();
        for (int d = 6; d >= 0; d--) days.add(new JobStats.Row(TO.minusDays(d).toString(), 3, 4, 1, new BigDecimal("0.125")));
        var top = new ArrayList<JobStats.Row>();
        for (int i = 0; i < members; i++) top.add(new JobStats.Row("telegram:10000000000" + i, 40 - i, 80, 0, BigDecimal.ONE));
        return new JobStats("USD", TO.minusDays(6), TO, days, top,
                List.of(new JobStats.Row("imagen-4", 21, 28, 7, new BigDecimal("0.875"))),
                List.of(new JobStats.Row("aiml", 21, 28, 7, new BigDecimal("0.875"))));
    }

    @Test
    void givenAWeeksFigures_whenRendered_thenEachDayMemberModelAndProviderIsALine_inTheAdminsLanguage() {
        String en = StatsText.render(Locale.ENGLISH, figures(1), 2000);
        String de = StatsText.render(Locale.GERMAN, figures(1), 2000);

        assertThat(en).startsWith("Figures from 2026-11-26 to 2026-12-02 (cost in USD)")
                .contains("Per day:\n• 2026-11-26: 3 jobs, 4 images, 1 failed, 0.13", "• 2026-12-02: 3 jobs",
                        "Top members:\n• telegram:100000000000: 40 jobs, 80 images, 0 failed, 1.00",
                        "By model:\n• imagen-4: 21 jobs, 28 images, 7 failed, 0.88", "By provider:\n• aiml: 21 jobs");
        assertThat(de).startsWith("Zahlen vom 2026-11-26 bis 2026-12-02").contains("Pro Tag:", "• imagen-4: 21 Aufträge, 28 Bilder, 7 fehlgeschlagen, 0,88");
    }

    @Test
    void givenMoreMembersThanFit_whenRenderedForDiscordsLimit_thenTheTopListIsCut_sayingHowManyAreLeftOff_andEveryDayStays() {
        JobStats many = figures(60);
        assertThat(StatsText.render(Locale.ENGLISH, many, 100_000)).hasSizeGreaterThan(2000);

        String text = StatsText.render(Locale.ENGLISH, many, 2000);

        assertThat(text).hasSizeLessThanOrEqualTo(2000).contains("• telegram:100000000000: 40 jobs").containsPattern("• … and \\d+ more")
                .contains("2026-11-26", "2026-12-02", "By model:\n• imagen-4", "By provider:\n• aiml");
    }

    @Test
    void givenNoJobs_whenRendered_thenEachListSaysNone() {
        var empty = new JobStats("EUR", TO, TO, List.of(new JobStats.Row(TO.toString(), 0, 0, 0, BigDecimal.ZERO)), List.of(), List.of(), List.of());

        assertThat(StatsText.render(Locale.ENGLISH, empty, 4096)).contains("• 2026-12-02: 0 jobs, 0 images, 0 failed, 0.00", "Top members:\n• none");
    }
}
