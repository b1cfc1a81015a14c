package com.esii.support.hub.ticket;

import java.util.Optional;

/**
 * What the ERP said about a ticket's customer: the customer when one was found, and how it was found. When the ERP
 * could not be asked, {@link #answered()} is false and the contract is unknown until it can.
 *
 * @param reason               "access code 4711 → C0001", "no customer for access code 4711, address or domain
 *                             x.fr", "ERP unreachable: …"
 * @param accessCodeRecognised whether the access code given named a customer: null when none was given or the ERP
 *                             could not be asked; false when the ERP knows no customer by it (whether the address
 *                             then found one or not)
 */
public record ContractLookup(Optional<Customer> customer, boolean answered, String reason, boolean refused,
        Boolean accessCodeRecognised) {

    public ContractLookup(Optional<Customer> customer, boolean answered, String reason, boolean refused) {
        this(customer, answered, reason, refused, null);
    }

    /** The same answer, saying whether the access code given named the customer. */
    public ContractLookup withAccessCode(boolean recognised) {
        return new ContractLookup(customer, answered, reason, refused, recognised);
    }

    public static ContractLookup found(Customer c, String how) {
        return new ContractLookup(Optional.of(c), true, how + " → " + c.code(), false);
    }

    public static ContractLookup notFound(String reason) {
        return new ContractLookup(Optional.empty(), true, reason, false);
    }

    public static ContractLookup unavailable(String reason) {
        return new ContractLookup(Optional.empty(), false, reason, false);
    }

    /**
     * The ERP answered, but with an error (its service refused the question, or answered nonsense): asking again
     * will not help until someone fixes the ERP's side, so a re-triage goes dead instead of waiting forever.
     */
    public static ContractLookup refused(String reason) {
        return new ContractLookup(Optional.empty(), false, reason, true);
    }
}
