package com.esii.support.hub.erp;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.esii.support.hub.util.DaemonThreads;
import com.esii.support.hub.ticket.ContractLookup;
import com.esii.support.hub.ticket.Customer;
import com.esii.support.hub.triage.ContractSource;
import com.esii.support.hub.triage.TriageConfig;
import com.esii.support.hub.erp.dto.ContractAnswer;
import com.esii.support.hub.erp.dto.ContractQuery;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Finds a ticket's customer and contract in the ERP: by the access code when one is given, else by the sender's
 * address, else by the address's domain (never a webmail or ISP domain). Answers, found or not, are cached for a
 * bounded time and size; failures are not, so the next ticket asks again once the ERP's pause after a failure ends.
 *
 * <p>The ERP side is a Diva web service ({@code hub.erp.contract-action}) called with
 * {@code param = {"by": "access-code"|"email"|"domain"|"phone", "value": "…"}} and answering
 * {@code {"found": true, "customer": "C0001", "name": "…", "maintained": true, "onCall": false, "hosted": false,
 * "calendar": "", "site": {"address": "…", "postcode": "34000", "town": "…", "country": "FR"}, "contact": {"name":
 * "…", "phone": "…", "email": "…"}}} (site and contact optional) or {@code {"found": false}}.
 */
@ApplicationScoped
public class ContractDirectory implements ContractSource {

    private static final Logger LOG = Logger.getLogger(ContractDirectory.class);

    private final ErpClient erp;
    private final ErpConfig config;
    private final Set<String> sharedDomains;
    private final Cache<String, Optional<Customer>> cache;

    public ContractDirectory(ErpClient erp, ErpConfig config, TriageConfig triage) {
        this.erp = erp;
        this.config = config;
        this.sharedDomains = triage.sharedMailDomains().stream().map(d -> d.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        Duration ttl = config.cacheTtl();
        this.cache = Caffeine.newBuilder().maximumSize(config.cacheSize()).expireAfterWrite(ttl).build();
    }

    private static final String ACCESS_CODE = "access-code";

    /**
     * The customer for a ticket: by access code, else address, else domain. Never throws. Says whether an access
     * code given named the customer.
     */
    @Override
    public ContractLookup identify(String accessCode, String email, String phone) {
        if (!erp.configured()) {
            return ContractLookup.unavailable("no ERP configured");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        if (accessCode != null && !accessCode.isBlank()) {
            keys.put(ACCESS_CODE, accessCode.strip());
        }
        if (email != null && email.contains("@")) {
            String address = email.strip().toLowerCase(Locale.ROOT);
            keys.put("email", address);
            String domain = address.substring(address.lastIndexOf('@') + 1);
            if (!sharedDomains.contains(domain)) {
                keys.put("domain", domain);
            }
        }
        if (phone != null && !phone.isBlank()) {
            keys.put("phone", phone.strip());
        }
        if (keys.isEmpty()) {
            return ContractLookup.notFound("nothing to identify the customer by");
        }
        try {
            for (Map.Entry<String, String> key : keys.entrySet()) {
                Optional<Customer> c = lookup(key.getKey(), key.getValue());
                if (c.isPresent()) {
                    ContractLookup found = ContractLookup.found(c.get(), key.getKey() + " " + key.getValue());
                    return keys.containsKey(ACCESS_CODE) ? found.withAccessCode(key.getKey().equals(ACCESS_CODE)) : found;
                }
            }
            ContractLookup none = ContractLookup.notFound("no customer in the ERP for " + keys.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
            return keys.containsKey(ACCESS_CODE) ? none.withAccessCode(false) : none;
        } catch (ErpRefusedException e) {
            LOG.warnf("ERP refused the contract lookup: %s", e.getMessage());
            return ContractLookup.refused("ERP refused: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.debugf("Contract lookup failed: %s", e.getMessage());
            return ContractLookup.unavailable("ERP unavailable: " + e.getMessage());
        }
    }

    @Override
    public boolean configured() {
        return erp.configured();
    }

    @Override
    public Instant pausedUntil() {
        return erp.pausedUntil();
    }

    /**
     * Asks the ERP about the addresses it has no answer for, side by side ({@value #LOOK_AHEAD_THREADS} at a time),
     * and keeps the answers as {@link #identify} does; returns once all are answered (or failed: the intake asks
     * again). The mailbox's intake calls it for a batch's senders before their transactions, so that no transaction
     * holds a database connection while the ERP answers, and a burst's look-ups are not made one after the other
     * (they were a sixth of the intake threads' time in the burst profile of bench/results/email-profile-2026-11-28.md).
     */
    @Override
    public void lookAhead(java.util.Collection<String> emails) {
        if (!erp.configured()) {
            return; // (a paused ERP is not asked: identify answers "unavailable" at once)
        }
        java.util.List<String> unknown = emails.stream().filter(e -> e != null && e.contains("@"))
                .map(e -> e.strip().toLowerCase(Locale.ROOT)).distinct()
                .filter(e -> cache.getIfPresent(cacheKey("email", e)) == null).toList();
        if (unknown.size() == 1) {
            identify(null, unknown.get(0), null);
            return;
        }
        java.util.List<java.util.concurrent.Future<?>> asked = new java.util.ArrayList<>();
        for (String email : unknown) {
            asked.add(lookAheadThreads().submit(() -> identify(null, email, null)));
        }
        for (java.util.concurrent.Future<?> f : asked) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.debugf("Contract look-ahead failed: %s", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Look-ups asked at once by {@link #lookAhead}. */
    static final int LOOK_AHEAD_THREADS = 8;
    private java.util.concurrent.ExecutorService lookAhead;

    private synchronized java.util.concurrent.ExecutorService lookAheadThreads() {
        if (lookAhead == null) {
            lookAhead = java.util.concurrent.Executors.newFixedThreadPool(LOOK_AHEAD_THREADS,
                    DaemonThreads.numbered("erp-look-ahead"));
        }
        return lookAhead;
    }

    @jakarta.annotation.PreDestroy
    synchronized void stop() {
        if (lookAhead != null) {
            lookAhead.shutdownNow();
        }
    }

    /** Forgets every cached answer (after the ERP's data was corrected, or in tests). */
    public void forgetAll() {
        cache.invalidateAll();
    }

    private Optional<Customer> lookup(String by, String value) {
        String cacheKey = cacheKey(by, value);
        Optional<Customer> cached = cache.getIfPresent(cacheKey);
        if (cached != null) {
            return cached;
        }
        ContractAnswer r = erp.execute(config.contractAction(), new ContractQuery(by, value), ContractAnswer.class);
        Optional<Customer> answer = r.found()
                ? Optional.of(new Customer(r.customer(), r.name(), r.maintained(), r.onCall(), r.hosted(), r.calendar(),
                        site(r)))
                : Optional.empty();
        if (answer.isPresent() && (answer.get().code() == null || answer.get().code().isBlank())) {
            throw new ErpRefusedException("ERP contract service found a customer without a code for " + by);
        }
        cache.put(cacheKey, answer);
        return answer;
    }

    private static Customer.Site site(ContractAnswer r) {
        if (r.site() == null) {
            return null;
        }
        ContractAnswer.Contact c = r.contact() == null ? new ContractAnswer.Contact(null, null, null) : r.contact();
        return new Customer.Site(r.site().address(), r.site().postcode(), r.site().town(),
                r.site().country() == null ? "FR" : r.site().country(), c.name(), c.phone(), c.email());
    }

    private static String cacheKey(String by, String value) {
        return by + ":" + value.toLowerCase(Locale.ROOT);
    }

    /** For the tests and the admin: how many answers are cached. */
    public long cached() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
