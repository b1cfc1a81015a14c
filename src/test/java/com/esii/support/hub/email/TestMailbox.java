package com.esii.support.hub.email;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.awaitility.Awaitility;

import com.esii.support.hub.ticket.LanguageDetection;

/**
 * A mailbox of a test's own (its folder, its settings, its lease: a {@link Mailbox} of the test's), read by the
 * production routes: the {@code mailbox-watch} and {@code mailbox-receive} templates of {@code routes/email.yaml},
 * made for the mailbox's own {@link MailboxWatch}, {@link MailboxFetch} and {@link MailboxFlags}, as the support
 * mailbox's are for the {@code mailboxWatch}, {@code mailboxFetch} and {@code mailboxFlags} beans. A failed mail is
 * recorded through the hub's {@code mailIntake} bean, the one the routes' steps use. No Java copy of the flow: what a
 * test sees is what production runs.
 */
final class TestMailbox implements AutoCloseable {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final CamelContext camel;
    private final MailboxWatch watch;
    private final String name;
    private final String watchRoute;
    private final String receiveRoute;

    private TestMailbox(CamelContext camel, Mailbox mailbox, boolean watching, BooleanSupplier warm) throws Exception {
        this.camel = camel;
        this.name = "testMailbox" + NAMES.incrementAndGet();
        MailIntake intake = java.util.Objects.requireNonNull(
                camel.getRegistry().lookupByNameAndType("mailIntake", MailIntake.class), "the mailIntake bean");
        MailboxFetch fetch = new MailboxFetch(mailbox);
        this.watch = new MailboxWatch(mailbox, warm);
        camel.getRegistry().bind(name + "Watch", watch);
        camel.getRegistry().bind(name + "Fetch", fetch);
        camel.getRegistry().bind(name + "Flags", new MailboxFlags(mailbox, fetch, intake));
        this.receiveRoute = TemplatedRouteBuilder.builder(camel, "mailbox-receive").routeId(name + "-receive")
                .parameter("name", name).parameter("fetch", name + "Fetch").parameter("flags", name + "Flags").add();
        this.watchRoute = watching ? TemplatedRouteBuilder.builder(camel, "mailbox-watch").routeId(name + "-watch")
                .parameter("name", name).parameter("watch", name + "Watch").add() : null;
    }

    /** The watch and the pass of {@code mailbox}, running until {@link #close()}. */
    static TestMailbox watching(CamelContext camel, Mailbox mailbox) throws Exception {
        return new TestMailbox(camel, mailbox, true, LanguageDetection::warm);
    }

    /** The same, the language detector's warmth told by {@code warm} (the hub's: {@link LanguageDetection#warm()}). */
    static TestMailbox watching(CamelContext camel, Mailbox mailbox, BooleanSupplier warm) throws Exception {
        return new TestMailbox(camel, mailbox, true, warm);
    }

    /** Only the pass of {@code mailbox}: a pass runs when the test calls {@link #pass()}. */
    static TestMailbox passesOnly(CamelContext camel, Mailbox mailbox) throws Exception {
        return new TestMailbox(camel, mailbox, false, LanguageDetection::warm);
    }

    /** The mailbox's watch: how it waits ({@link MailboxWatch#mode()}, {@link MailboxWatch#isIdling()}). */
    MailboxWatch watch() {
        return watch;
    }

    /** One pass over the mailbox, through the mailbox-receive route; returns when it is over. */
    void pass() {
        ProducerTemplate producer = camel.createProducerTemplate();
        try {
            producer.requestBody("direct:" + name + "-receive", (Object) null);
        } finally {
            try {
                producer.close();
            } catch (java.io.IOException ignored) {
                // nothing held
            }
        }
    }

    /** Whether the watch route is in a turn (a pass or a wait for news) right now. */
    boolean watchBusy() {
        return watchRoute != null && camel.getInflightRepository().size(watchRoute) > 0;
    }

    /** The mailbox stops (as at the replica's stop): the watch's turn ends, its routes are removed. */
    @Override
    public void close() throws Exception {
        watch.stop(null);
        if (watchRoute != null) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !watchBusy());
            camel.getRouteController().stopRoute(watchRoute);
            camel.removeRoute(watchRoute);
        }
        camel.getRouteController().stopRoute(receiveRoute);
        camel.removeRoute(receiveRoute);
        camel.getRegistry().unbind(name + "Watch");
        camel.getRegistry().unbind(name + "Fetch");
        camel.getRegistry().unbind(name + "Flags");
    }
}
