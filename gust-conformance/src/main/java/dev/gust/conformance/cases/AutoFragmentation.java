package dev.gust.conformance.cases;

import static dev.gust.conformance.Payloads.octets;
import static dev.gust.conformance.Payloads.repeat;

import dev.gust.conformance.Event;
import dev.gust.conformance.ExpectedClose;
import dev.gust.conformance.TestCase;
import java.util.List;

/** Group 10: Misc — 10.1.1, a 64 KiB text message auto-fragmented into frames of 1300 octets. */
final class AutoFragmentation {
    private AutoFragmentation() {}

    static List<TestCase> cases() {
        return List.of(new TestCase("10.1.1", "Send text message with payload of length 65536 auto-fragmented with autoFragmentSize = 1300.",
                "Receive echo'ed text message (with payload as sent and transmitted frame counts as sent). Clean close with normal code.", r -> {
                    byte[] payload = repeat(octets("*"), 65536);
                    r.expectOk(Event.message(payload, false)).expectClose(ExpectedClose.normal());
                    r.sendMessage(payload, false, 1300);
                    r.closeAfter(1);
                }));
    }
}
