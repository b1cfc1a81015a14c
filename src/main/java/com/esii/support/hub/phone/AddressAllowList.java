package com.esii.support.hub.phone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The addresses allowed to send SMDR records ({@code hub.phone.allowed-addresses}): exact IP addresses
 * ({@code 192.0.2.10}, {@code ::1}) or CIDR ranges ({@code 10.20.0.0/16}, {@code fd00::/8}), IPv4 and IPv6. A host
 * name is refused at start (no DNS look-up decides who may write call records), as is any entry that is no address.
 */
public final class AddressAllowList {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private record Range(byte[] network, int prefix, String text) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;

    private AddressAllowList(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** @throws IllegalArgumentException naming the first entry that is no IP address or CIDR range */
    public static AddressAllowList parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] bytes = literal(address, raw);
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("hub.phone.allowed-addresses: '" + raw
                            + "' has no valid prefix length (0-" + bytes.length * 8 + ")");
                }
            }
            ranges.add(new Range(bytes, prefix, entry));
        }
        return new AddressAllowList(List.copyOf(ranges));
    }

    private static byte[] literal(String address, String raw) {
        boolean v4 = IPV4.matcher(address).matches();
        boolean v6 = address.indexOf(':') >= 0 && address.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("hub.phone.allowed-addresses: '" + raw
                    + "' is no IP address or CIDR range (host names are not accepted)");
        }
        if (v4) {
            byte[] bytes = new byte[4];
            String[] parts = address.split("\\.");
            for (int i = 0; i < 4; i++) {
                int n = Integer.parseInt(parts[i]);
                if (n > 255) {
                    throw new IllegalArgumentException("hub.phone.allowed-addresses: '" + raw + "' is no valid IP address");
                }
                bytes[i] = (byte) n;
            }
            return bytes;
        }
        try {
            // An IPv6 literal (it holds ':'): parsed, no name is looked up.
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("hub.phone.allowed-addresses: '" + raw + "' is no valid IP address");
        }
    }

    /** Whether a connection from this address may send records. */
    public boolean allows(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (Range r : ranges) {
            if (r.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join(",", ranges.stream().map(Range::text).toList());
    }
}
