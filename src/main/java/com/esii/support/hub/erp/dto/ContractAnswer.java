package com.esii.support.hub.erp.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The contract service's answer: {@code found}, then the customer's code, name, contract and options. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContractAnswer(boolean found, String customer, String name, boolean maintained, boolean onCall,
        boolean hosted, String calendar) {
}
