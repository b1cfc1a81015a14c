package com.esii.support.hub.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from Debian's packages ({@code chromium}, {@code chromium-driver}: /usr/bin/chromium and
 * /usr/bin/chromedriver, which {@code .ci/run} installs), driven by Selenium. Screenshots go to
 * {@code target/screenshots/}; {@link #axe} checks the page with axe-core (vendored under
 * {@code src/test/resources/axe}) against WCAG 2.0 and 2.1, levels A and AA. Without Chromium the browser tests are
 * skipped, except in CI (CI=true), where they fail.
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /**
     * Back shows the page again as the browser saved its form, not the page kept whole in memory: what a browser does
     * when the page left its back-forward cache (after a while, when memory is short, in many cases it lists). It
     * then fills every field again except those marked {@code autocomplete="off"}.
     */
    public static final String NO_BACK_FORWARD_CACHE = "--disable-features=BackForwardCache";

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** A new headless browser, at a desktop size. */
    public static Browser start() {
        return start(new String[0]);
    }

    /**
     * A new headless browser with Chromium's {@code flags} besides the usual ones: e.g.
     * {@link #NO_BACK_FORWARD_CACHE}.
     */
    public static Browser start(String... flags) {
        boolean installed = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        if (!installed && !"true".equalsIgnoreCase(System.getenv("CI"))) {
            Assumptions.abort("Chromium and ChromeDriver are not installed (apt-get install chromium chromium-driver)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // The flags Chromium needs here: root, no GPU, and no calls home (this machine's network is closed).
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--lang=fr-FR", "--window-size=1280,900");
        options.addArguments(flags);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "fr-FR,fr"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver d = new ChromeDriver(service, options);
        d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new Browser(d);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** The size of the window's viewport, e.g. 375×800 for a phone. */
    public void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves what the page shows, whole, as {@code target/screenshots/<name>.png}. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            // the whole page, not only the viewport: the window is made as tall as the page for the shot
            Dimension before = driver.manage().window().getSize();
            long height = ((Number) js("return Math.max(document.body.scrollHeight,"
                    + " document.documentElement.scrollHeight);")).longValue();
            driver.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(6000, height + 140)));
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            driver.manage().window().setSize(before);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * The WCAG 2.0/2.1 A and AA violations axe-core finds in the page, one line each (rule, impact, the elements);
     * empty when there is none.
     */
    @SuppressWarnings("unchecked")
    public List<String> axe() {
        if (!Boolean.TRUE.equals(js("return typeof window.axe !== 'undefined';"))) {
            js(AXE);
        }
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },"
                        + " resultTypes: ['violations'] })"
                        + ".then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '"
                        + " + v.nodes.map(n => n.target.join(' ')).join(', '))))"
                        + ".catch(e => done(['axe failed: ' + e]));");
        return new ArrayList<>((List<String>) result);
    }

    /** Whether the page is wider than the window (a horizontal scroll bar: content cut on a phone). */
    public boolean scrollsSideways() {
        return (Boolean) js("return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
    }

    /** The id of the element that has the focus. */
    public String focused() {
        return (String) js("return document.activeElement ? document.activeElement.id : null;");
    }

    @Override
    public void close() {
        driver.quit();
    }

    private static final String AXE = load();

    private static String load() {
        try (InputStream in = Browser.class.getResourceAsStream("/axe/axe.min.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
