package com.esii.support.hub.ticket;

import com.esii.support.hub.mailkit.MailSender;

/** Breaks the core rule on purpose (ArchitectureRulesFailTest): the core calling the mail edge. Not a bean. */
public class ArchFixtureCoreCallsMail {

    MailSender sender;
}
