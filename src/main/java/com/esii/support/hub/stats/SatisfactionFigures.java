package com.esii.support.hub.stats;

import java.time.OffsetDateTime;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.util.Sql;

/**
 * The customers' "how did we do?" of a period (table {@code ticket_satisfaction}, by the time each rating was given):
 * how many ratings, and their average out of 5. Read by the managers' dashboard, month by month.
 */
@ApplicationScoped
public class SatisfactionFigures {

    /** The ratings of a period: how many, and their average rounded to 2 decimals (null: none to average). */
    public record Ratings(int count, Double average) {
    }

    private final Sql db;

    public SatisfactionFigures(DataSource ds) {
        this.db = new Sql(ds);
    }

    /** The ratings given in [start, end). */
    public Ratings of(OffsetDateTime start, OffsetDateTime end) {
        return db.one("read the satisfaction figures", "SELECT COUNT(*), SUM(rating) FROM ticket_satisfaction"
                + " WHERE given_at >= ? AND given_at < ?", rs -> {
                    int count = rs.getInt(1);
                    long sum = rs.getLong(2);
                    return new Ratings(count, count == 0 ? null : Math.round(sum * 100.0 / count) / 100.0);
                }, start, end).orElse(new Ratings(0, null));
    }
}
