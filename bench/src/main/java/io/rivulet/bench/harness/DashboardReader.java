package io.rivulet.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for an open dashboard page during a benchmark: reads the dashboard's event stream ({@code /events}) on a
 * daemon thread and discards it, so the server samples the running query and writes its events as it would for a
 * browser, without a browser's rendering competing for the machine's cores.
 *
 * <p>Owns one daemon thread, which ends when the stream closes (the engine closes its dashboard).
 */
final class DashboardReader
{
    private DashboardReader()
    {
    }

    /**
     * Connects and reads in the background; returns once the first event arrived (or after 10 s), so the page is open
     * before the workload starts and its one-off costs (the HTTP client's start, class loading) fall outside the run.
     *
     * @param dashboard the dashboard's URL.
     * @throws InterruptedException if interrupted while waiting for the first event.
     */
    static void open(final URI dashboard) throws InterruptedException
    {
        final CountDownLatch connected = new CountDownLatch(1);
        final Thread reader = new Thread(() -> read(dashboard.resolve("/events"), connected), "bench-dashboard-reader");
        reader.setDaemon(true);
        reader.start();
        if (!connected.await(10, TimeUnit.SECONDS))
        {
            System.err.println("dashboard reader: no event within 10 s, running anyway");
        }
    }

    private static void read(final URI events, final CountDownLatch connected)
    {
        try
        {
            final HttpResponse<InputStream> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(events).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            final byte[] buffer = new byte[8192];
            long bytes = 0;
            try (InputStream in = response.body())
            {
                for (int n; (n = in.read(buffer)) >= 0; )
                {
                    bytes += n;
                    connected.countDown();
                }
            }
            catch (final IOException closed)
            {
                // The engine closed its dashboard.
            }
            System.err.println("dashboard reader: " + bytes + " bytes of events read");
        }
        catch (final IOException | InterruptedException e)
        {
            System.err.println("dashboard reader failed: " + e);
        }
        finally
        {
            connected.countDown();
        }
    }
}
