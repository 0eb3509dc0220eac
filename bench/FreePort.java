/** Prints a free TCP port on the loopback address (for servers that need a fixed port up front). */
public final class FreePort {
    public static void main(String[] args) throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            System.out.println(s.getLocalPort());
        }
    }
}
