package com.esii.support.hub.ticket;

/**
 * A customer as the ERP knows it: its code, name, and the contract's terms (maintenance, on-call option, hosted
 * system) and the business calendar it names (empty: the support desk's).
 */
public record Customer(String code, String name, boolean maintained, boolean onCall, boolean hosted, String calendar) {
}
