package com.esii.support.hub.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(15));

    @ParameterizedTest
    @CsvSource({
            // attempt, least (random 0), most (random 1), in ms
            "1, 1000, 2000",
            "2, 2000, 4000",
            "3, 4000, 8000",
            "10, 450000, 900000",
            "40, 450000, 900000"
    })
    void doublesWithJitterUpToTheCap(int attempt, long least, long most) {
        assertEquals(least, backoff.delay(attempt, () -> 0.0).toMillis());
        assertEquals(most, backoff.delay(attempt, () -> 1.0).toMillis());
    }
}
