package com.esii.support.hub.web;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.esii.support.hub.ticket.Dates;
import com.esii.support.hub.ticket.Language;
import com.esii.support.hub.ticket.Satisfaction;
import com.esii.support.hub.ticket.Ticket;

import io.quarkus.qute.TemplateData;

/**
 * "How did we do?" as a page shows it ({@code templates/web/satisfaction-form.html}, on the rating page and the
 * request page): the rating given, or the form while the ticket may be rated, or neither.
 *
 * @param open         the form is offered (the ticket is resolved and not rated yet)
 * @param options      the five ratings, the one chosen checked
 * @param typed        the comment typed (given back after an error)
 * @param ratingError  what is wrong with the rating sent (empty: nothing)
 * @param commentError what is wrong with the comment sent (empty: nothing)
 * @param given        the rating given, if any
 */
@TemplateData
public record SatisfactionForm(boolean open, List<Option> options, String typed, int maxLength, String commentHelp,
        String ratingError, String commentError, Given given) {

    /** One rating to choose: its value, its words, whether it is the one chosen. */
    @TemplateData
    public record Option(int value, String label, boolean checked) {
    }

    /** The rating given: its value and words, when (written and machine-readable), the comment (or null). */
    @TemplateData
    public record Given(int rating, String label, String at, String iso, String comment) {
    }

    /** Whether the request page shows the section: there is a rating, or one may be given. */
    public boolean shown() {
        return open || given != null;
    }

    /**
     * The section for the ticket in language {@code l}; {@code chosen} the rating to show checked (null: none),
     * {@code typed} the comment typed, and the errors of an answer refused (empty: none).
     */
    static SatisfactionForm of(Satisfaction satisfaction, Ticket t, Language l, Map<String, String> m, Integer chosen,
            String typed, String ratingError, String commentError) {
        Optional<Satisfaction.Rating> r = satisfaction.of(t);
        Given given = r.map(g -> new Given(g.rating(), m.get("satisfaction_rating_" + g.rating()),
                Dates.written(g.at(), l), Dates.iso(g.at()), g.comment())).orElse(null);
        List<Option> options = new ArrayList<>();
        for (int v = Satisfaction.LOWEST; v <= Satisfaction.HIGHEST; v++) {
            options.add(new Option(v, m.get("satisfaction_rating_" + v), chosen != null && chosen == v));
        }
        int max = satisfaction.commentMaxLength();
        return new SatisfactionForm(given == null && Satisfaction.rates(t.status()), options, typed, max,
                m.get("satisfaction_comment_help").replace("{max}", written(max, l)), ratingError, commentError,
                given);
    }

    /** A number as the page's language writes it ("1 000", "1,000", "1000"). */
    static String written(int n, Language l) {
        NumberFormat f = NumberFormat.getIntegerInstance(l.locale());
        // Spanish groups from five digits on (RAE, CLDR's minimum grouping digits), which Java's format ignores
        f.setGroupingUsed(l != Language.ES || Math.abs(n) >= 10_000);
        return f.format(n);
    }
}
