package com.esii.support.hub.ticket;

/** Where a ticket or a message came from. */
public enum Channel {
    WEB, API, EMAIL, PORTAL, PHONE
}
