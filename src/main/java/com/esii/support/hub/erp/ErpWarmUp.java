package com.esii.support.hub.erp;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.esii.support.hub.erp.dto.ContractAnswer;
import com.esii.support.hub.erp.dto.ContractQuery;
import com.esii.support.hub.erp.dto.RecordFound;
import com.esii.support.hub.ticket.WarmUpStep;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The ERP's part of the start's warm-up (issue 29: the first mail of a start waited for it before asking who its
 * sender is): the client built and logged in (see {@link ErpClient#warmUp}: the login the first look-up would make,
 * nothing else is asked), the contract directory made (its cache), and the look-up's and a record's bodies written
 * and read with the client's mapper and types from samples. No customer is looked up and no record sent.
 */
@ApplicationScoped
public class ErpWarmUp implements WarmUpStep {

    /** The contract service's answer as the ERP gives it (its result a JSON text), for a customer with a site. */
    static final String CONTRACT_ANSWER = """
            {"error": 0, "txterr": "", "infos": "", "result": "{\\"found\\": true, \\"customer\\": \\"C0000\\", \
            \\"name\\": \\"Warm Up\\", \\"maintained\\": true, \\"onCall\\": false, \\"hosted\\": false, \
            \\"calendar\\": \\"\\", \\"site\\": {\\"address\\": \\"1 rue du Port\\", \\"postcode\\": \\"34000\\", \
            \\"town\\": \\"Montpellier\\", \\"country\\": \\"FR\\"}, \\"contact\\": {\\"name\\": \\"Warm Up\\", \
            \\"phone\\": \\"+33400000000\\", \\"email\\": \\"warm-up@example.invalid\\"}}"}""";
    /** A record service's answer (a value, not a JSON text). */
    static final String RECORD_ANSWER = """
            {"error": 0, "txterr": "", "result": {"found": false}}""";

    private final ErpClient erp;
    private final ErpConfig config;
    private final ContractDirectory contracts;

    public ErpWarmUp(ErpClient erp, ErpConfig config, ContractDirectory contracts) {
        this.erp = erp;
        this.config = config;
        this.contracts = contracts;
    }

    @Override
    public String name() {
        return "ERP client";
    }

    @Override
    public void run() throws Exception {
        if (!erp.configured()) {
            return; // nothing the first mail would ask
        }
        contracts.cached(); // the first call on the bean makes it (its cache)
        erp.warmUpLogin();
        ContractAnswer a = erp.warmUp(config.contractAction(), new ContractQuery("email", "warm-up@example.invalid"),
                CONTRACT_ANSWER, ContractAnswer.class);
        if (!a.found() || a.site() == null) {
            throw new IllegalStateException("the sample contract answer was not read whole");
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("key", "warm-up");
        record.put("minutes", 0);
        record.put("quote", false);
        erp.warmUp(config.recordAction(), record, RECORD_ANSWER, RecordFound.class);
        erp.warmUp(config.recordAction(), record, RECORD_ANSWER, JsonNode.class);
    }
}
