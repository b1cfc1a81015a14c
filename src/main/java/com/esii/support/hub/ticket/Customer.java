package com.esii.support.hub.ticket;

/**
 * A customer as the ERP knows it: its code, name, and the contract's terms (maintenance, on-call option, hosted
 * system), the business calendar it names (empty: the support desk's) and its site (null when the ERP gave none).
 */
public record Customer(String code, String name, boolean maintained, boolean onCall, boolean hosted, String calendar,
        Site site) {

    public Customer(String code, String name, boolean maintained, boolean onCall, boolean hosted, String calendar) {
        this(code, name, maintained, onCall, hosted, calendar, null);
    }

    /**
     * Where support goes for an on-site intervention, and whom they meet there.
     *
     * @param country ISO 3166 code ({@code FR})
     */
    public record Site(String address, String postcode, String town, String country, String contactName,
            String contactPhone, String contactEmail) {
    }
}
