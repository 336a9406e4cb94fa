package io.rivulet.bench.kafka;

import com.sun.tools.attach.VirtualMachine;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.util.List;

/**
 * The broker JVM's per-request times ({@code kafka.network:type=RequestMetrics}), read over the JDK's attach API:
 * for the requests of a transactional pipeline, how long each spends in total, in the request queue, in the handler
 * ({@code Local}), in purgatory waiting for something else ({@code Remote}) and in the response queue. They are the
 * broker's own histograms since it started (recent-biased), so read them right after the run of interest.
 */
final class BrokerRequestMetrics {
    private static final List<String> REQUESTS = List.of("Produce", "Fetch", "AddPartitionsToTxn", "AddOffsetsToTxn",
        "TxnOffsetCommit", "EndTxn", "WriteTxnMarkers");
    private static final List<String> PARTS = List.of("TotalTimeMs", "RequestQueueTimeMs", "LocalTimeMs", "RemoteTimeMs",
        "ResponseQueueTimeMs");

    private BrokerRequestMetrics() {
    }

    /**
     * @param pid the broker JVM's process id
     * @return a table: a line per request type seen, count and p50 / mean ms of each part
     * @throws Exception if the JVM cannot be attached to or its MBeans read
     */
    static String read(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            StringBuilder table = new StringBuilder(String.format("  broker request times since it started, ms, p50 / mean:%n"
                + "    %-20s %7s %13s %13s %13s %13s %13s%n", "request", "count", "total", "queue", "local", "remote",
                "response q."));
            for (String request : REQUESTS) {
                StringBuilder line = new StringBuilder();
                long count = -1;
                for (String part : PARTS) {
                    ObjectName name = new ObjectName("kafka.network:type=RequestMetrics,name=" + part + ",request=" + request);
                    try {
                        if (count < 0) {
                            count = ((Number) server.getAttribute(name, "Count")).longValue();
                        }
                        line.append(String.format(" %6.1f / %4.1f", ((Number) server.getAttribute(name, "50thPercentile")).doubleValue(),
                            ((Number) server.getAttribute(name, "Mean")).doubleValue()));
                    } catch (InstanceNotFoundException e) {
                        line.append(String.format(" %13s", "-"));
                    }
                }
                if (count > 0) {
                    table.append(String.format("    %-20s %7d%s%n", request, count, line));
                }
            }
            return table.toString();
        } finally {
            vm.detach();
        }
    }
}
