package dev.autolab.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The client's address as the services are told it ({@code x-forwarded-for}, which sign-in throttling
 * counts). The gateway never repeats a client's own claim: it is the direct peer's address, unless
 * that peer is a configured trusted proxy (an ingress), and then the right-most hop of the incoming
 * X-Forwarded-For that is not itself a trusted proxy: the first address no one we trust vouches for.
 */
@Singleton
public class ClientAddress {
    /** Only IP literals are looked at, so parsing an address never resolves a name. */
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final List<Block> trusted;

    @Inject
    public ClientAddress(GatewayConfig config) {
        this(config.trustedProxies().orElse(List.of()));
    }

    public ClientAddress(List<String> trustedProxies) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : trustedProxies) {
            if (!entry.isBlank()) {
                blocks.add(Block.parse(entry.trim()));
            }
        }
        this.trusted = List.copyOf(blocks);
    }

    /**
     * @param peer the direct peer's address (null when unknown)
     * @param forwardedFor every X-Forwarded-For header value received, in order
     */
    public String of(String peer, List<String> forwardedFor) {
        if (peer == null || !isTrusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        String leftmost = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            byte[] hop = parse(hops.get(i));
            if (hop == null) {
                // A hop our proxy did not write (it writes addresses): stop at the last one we can vouch for.
                return leftmost;
            }
            String normal = format(hop);
            if (!isTrusted(hop)) {
                return normal;
            }
            leftmost = normal;
        }
        return leftmost;
    }

    private boolean isTrusted(String address) {
        byte[] raw = parse(address);
        return raw != null && isTrusted(raw);
    }

    private boolean isTrusted(byte[] address) {
        for (Block block : trusted) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    static byte[] parse(String text) {
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!IP_LITERAL.matcher(literal).matches()
                || (literal.indexOf(':') < 0
                        && literal.chars().filter(c -> c == '.').count() != 3)) {
            return null;
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String format(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An address block: {@code 10.0.0.0/8}, {@code fd00::/8}, or one address. */
    record Block(byte[] network, int prefix) {
        static Block parse(String text) {
            int slash = text.indexOf('/');
            byte[] network = ClientAddress.parse(slash < 0 ? text : text.substring(0, slash));
            if (network == null) {
                throw new IllegalArgumentException("autolab.gateway.trusted-proxies: '" + text
                        + "' is not an IP address or CIDR block (like 10.0.0.0/8)");
            }
            int bits = network.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException(
                        "autolab.gateway.trusted-proxies: '" + text + "' has a prefix length outside 0.." + bits);
            }
            return new Block(network, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
