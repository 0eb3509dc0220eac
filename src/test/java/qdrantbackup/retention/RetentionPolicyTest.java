package qdrantbackup.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionPolicyTest {

    @Test
    void defaultsMatchTheDocumentedPolicy() {
        RetentionPolicy p = RetentionPolicy.defaults();
        assertThat(p.keepLast()).isEqualTo(1);
        assertThat(p.daily()).isEqualTo(7);
        assertThat(p.weekly()).isEqualTo(4);
        assertThat(p.monthly()).isEqualTo(6);
        assertThat(p.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(p.zone().normalized()).isEqualTo(ZoneOffset.UTC);
        assertThat(p.validate()).isSameAs(p);
    }

    @ParameterizedTest(name = "{0}.{1}=-1 is refused")
    @CsvSource({
        "retention, keep-last",
        "retention, daily",
        "retention, weekly",
        "retention, monthly",
        "offsite.retention, keep-last",
        "offsite.retention, daily",
        "offsite.retention, weekly",
        "offsite.retention, monthly"
    })
    void negativeValuesAreRefusedNamingSettingValueAndFix(String prefix, String setting) {
        RetentionPolicy p = new RetentionPolicy(
                setting.equals("keep-last") ? -1 : 1,
                setting.equals("daily") ? -1 : 7,
                setting.equals("weekly") ? -1 : 4,
                setting.equals("monthly") ? -1 : 6,
                ZoneOffset.UTC);
        assertThatThrownBy(() -> p.validate(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(prefix + "." + setting + "=-1 is negative: ")
                .hasMessageContaining("use ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"retention", "offsite.retention"})
    void allZeroWouldKeepNothing(String prefix) {
        assertThatThrownBy(() -> new RetentionPolicy(0, 0, 0, 0, ZoneOffset.UTC).validate(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("would keep nothing")
                .hasMessageContaining(prefix + ".keep-last")
                .hasMessageContaining(prefix + ".daily")
                .hasMessageContaining(prefix + ".weekly")
                .hasMessageContaining(prefix + ".monthly")
                .hasMessageContaining("set " + prefix + ".keep-last to 1 or more")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void keepLastZeroIsRefusedBecauseTheNewestIsNeverExpired() {
        assertThatThrownBy(() -> new RetentionPolicy(0, 7, 4, 6, ZoneOffset.UTC).validate("offsite.retention"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("offsite.retention.keep-last=0 ")
                .hasMessageContaining("newest backup is never expired")
                .hasMessageContaining("1 or more");
    }

    @Test
    void calendarRulesMayBeSwitchedOffIndividuallyOrAllTogether() {
        assertThat(new RetentionPolicy(1, 0, 0, 0, ZoneOffset.UTC).validate()).isNotNull();
        assertThat(new RetentionPolicy(3, 0, 4, 0, ZoneOffset.UTC).validate()).isNotNull();
    }

    @Test
    void missingZoneIsRefused() {
        assertThatThrownBy(() -> new RetentionPolicy(1, 7, 4, 6, null).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("retention.timezone is not set");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mars/Olympus", "UTC+99", "not a zone"})
    void unknownZoneStringIsRefusedNamingTheSetting(String zone) {
        assertThatThrownBy(() -> RetentionPolicy.of(1, 7, 4, 6, zone, "offsite.retention"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("offsite.retention.timezone=" + zone + " is not a known time zone")
                .hasMessageContaining("Europe/Berlin")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void emptyZoneStringIsRefused(String zone) {
        assertThatThrownBy(() -> RetentionPolicy.of(1, 7, 4, 6, zone, "retention"))
                .hasMessageStartingWith("retention.timezone is empty");
    }

    @Test
    void factoryParsesZoneAndValidates() {
        RetentionPolicy p = RetentionPolicy.of(2, 7, 4, 6, " Europe/Berlin ", "retention");
        assertThat(p.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(p.keepLast()).isEqualTo(2);
        assertThatThrownBy(() -> RetentionPolicy.of(1, -3, 4, 6, "UTC", "retention"))
                .hasMessageStartingWith("retention.daily=-3 is negative");
    }

    @Test
    void describeIsReadable() {
        assertThat(RetentionPolicy.defaults().describe())
                .isEqualTo("keep-last 1, daily 7, weekly 4, monthly 6, zone UTC");
    }
}
