package dev.autolab.auth.limit;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * What a per-address counter counts by: an IPv4 address as it is, an IPv6 address by its /64, since
 * one subscriber commonly holds a whole /64 and could otherwise take a fresh address per guess.
 */
public final class AddressKey {
    private AddressKey() {}

    public static String of(String address) {
        if (address == null || !address.contains(":") || !address.matches("[0-9A-Fa-f:.]+")) {
            return String.valueOf(address);
        }
        try {
            InetAddress parsed = InetAddress.getByName(address);
            if (!(parsed instanceof Inet6Address)) {
                return parsed.getHostAddress();
            }
            byte[] b = parsed.getAddress();
            return String.format(
                    "%x:%x:%x:%x::/64",
                    ((b[0] & 0xff) << 8) | (b[1] & 0xff),
                    ((b[2] & 0xff) << 8) | (b[3] & 0xff),
                    ((b[4] & 0xff) << 8) | (b[5] & 0xff),
                    ((b[6] & 0xff) << 8) | (b[7] & 0xff));
        } catch (java.net.UnknownHostException e) {
            return address;
        }
    }
}
