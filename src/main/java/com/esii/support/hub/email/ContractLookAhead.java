package com.esii.support.hub.email;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import com.esii.support.hub.triage.ContractSource;

/**
 * The route step that asks who a batch's senders are before their mails' transactions (the contract source keeps
 * the answers, and the intake's triage finds them there): no transaction waits for the ERP with a database
 * connection held, and a burst's look-ups go side by side. A mail whose customer is its Reply-To address, or whose
 * access code names the customer, is still looked up in its transaction, as before.
 */
@ApplicationScoped
@Named("contractLookAhead")
public class ContractLookAhead {

    private final ContractSource contracts;

    public ContractLookAhead(ContractSource contracts) {
        this.contracts = contracts;
    }

    public void senders(List<MailboxFetch.FetchedMail> batch) {
        contracts.lookAhead(batch.stream().map(MailboxFetch.FetchedMail::sender).filter(s -> !s.isEmpty()).toList());
    }
}
