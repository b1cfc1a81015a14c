package com.esii.support.hub.erp.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The contract service's answer: {@code found}, then the customer's code, name, contract and options, and the site
 * support goes to ({@code site}: address, postcode, town, country; {@code contact}: name, phone, email), both
 * optional.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContractAnswer(boolean found, String customer, String name, boolean maintained, boolean onCall,
        boolean hosted, String calendar, Site site, Contact contact) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Site(String address, String postcode, String town, String country) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Contact(String name, String phone, String email) {
    }
}
