package dev.gust.conformance;

/** Autobahn's verdict on how a connection ended ({@code behaviorClose}). */
public enum CloseBehavior {
    OK, FAILED, WRONG_CODE, UNCLEAN, INFORMATIONAL;

    public boolean isOk() { return this == OK || this == INFORMATIONAL; }
}
