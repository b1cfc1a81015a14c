package com.esii.support.hub.email;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.awaitility.Awaitility;

/**
 * A mailbox of a test's own (its folder, its settings, its lease), read by the production routes: the
 * {@code mailbox-watch} and {@code mailbox-receive} templates of {@code routes/email.yaml}, made for a
 * {@link MailboxPoller} of the test's, as the support mailbox's are for the {@code mailboxPoller} bean. No Java copy
 * of the flow: what a test sees is what production runs.
 */
final class TestMailbox implements AutoCloseable {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final CamelContext camel;
    private final MailboxPoller poller;
    private final String name;
    private final String watch;
    private final String receive;

    private TestMailbox(CamelContext camel, MailboxPoller poller, boolean watching) throws Exception {
        this.camel = camel;
        this.poller = poller;
        this.name = "testMailbox" + NAMES.incrementAndGet();
        camel.getRegistry().bind(name, poller);
        this.receive = add("mailbox-receive", name + "-receive");
        this.watch = watching ? add("mailbox-watch", name + "-watch") : null;
    }

    /** The watch and the pass of {@code poller}'s mailbox, running until {@link #close()}. */
    static TestMailbox watching(CamelContext camel, MailboxPoller poller) throws Exception {
        return new TestMailbox(camel, poller, true);
    }

    /** Only the pass of {@code poller}'s mailbox: a pass runs when the test calls {@link #pass()}. */
    static TestMailbox passesOnly(CamelContext camel, MailboxPoller poller) throws Exception {
        return new TestMailbox(camel, poller, false);
    }

    private String add(String template, String routeId) throws Exception {
        return TemplatedRouteBuilder.builder(camel, template).routeId(routeId).parameter("name", name)
                .parameter("mailbox", name).add();
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
        return watch != null && camel.getInflightRepository().size(watch) > 0;
    }

    /** The poller stops (as at the replica's stop): the watch's turn ends, its routes are removed. */
    @Override
    public void close() throws Exception {
        poller.stop(null);
        if (watch != null) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !watchBusy());
            camel.getRouteController().stopRoute(watch);
            camel.removeRoute(watch);
        }
        camel.getRouteController().stopRoute(receive);
        camel.removeRoute(receive);
        camel.getRegistry().unbind(name);
    }
}
