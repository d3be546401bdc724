package io.otpgate.server.pages;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The pages' stylesheet and script, read once from the class path. Links carry a hash of their
 * content ({@code ?v=…}), so browsers may cache them for a long time and still see a new release.
 */
public final class PageAssets {

    private static final Map<String, String> TYPES = Map.of(
            "pages.css", "text/css; charset=utf-8",
            "pages.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8");

    private final Map<String, byte[]> files;
    private final String version;

    public PageAssets() {
        this.files = Map.of(
                "pages.css", read("pages.css"), "pages.js", read("pages.js"), "dashboard.css", read("dashboard.css"));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            files.keySet().stream().sorted().forEach(name -> sha.update(files.get(name)));
            this.version = HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String version() {
        return version;
    }

    public void serve(Context ctx) {
        String name = ctx.pathParam("name");
        byte[] body = files.get(name);
        if (body == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("not found");
            return;
        }
        ctx.header("Cache-Control", "public, max-age=86400");
        ctx.contentType(TYPES.get(name)).result(body);
    }

    private static byte[] read(String name) {
        try (InputStream in = PageAssets.class.getResourceAsStream("assets/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing asset " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
