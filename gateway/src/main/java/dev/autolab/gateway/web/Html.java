package dev.autolab.gateway.web;

/** The pages' one layout, and escaping for everything put into it. */
final class Html {
    private Html() {}

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A whole page; {@code body} must already be escaped HTML. */
    static String page(String title, String body) {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · Autolab</title>
                <style>
                body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#1b1f24}
                h1{font-size:1.4rem} label{display:block;margin:.8rem 0 .2rem}
                input{width:100%%;padding:.5rem;font-size:1rem;box-sizing:border-box}
                button{margin-top:1rem;padding:.5rem 1rem;font-size:1rem;margin-right:.5rem}
                .code{font-family:ui-monospace,monospace;font-size:1.6rem;letter-spacing:.15rem}
                .error{color:#b42318} .ok{color:#067647} .muted{color:#57606a;font-size:.9rem}
                .warn{background:#fffaeb;border:1px solid #fec84b;padding:.5rem .8rem}
                dl{display:grid;grid-template-columns:max-content auto;gap:.3rem 1rem} dd{margin:0}
                .account{margin-top:2.5rem;border-top:1px solid #d0d7de;padding-top:.5rem}
                .account form{display:inline} .account button{margin:0 0 0 .5rem;padding:.2rem .6rem;font-size:.9rem}
                </style>
                </head>
                <body>
                <h1>%s</h1>
                %s
                </body>
                </html>
                """.formatted(escape(title), escape(title), body);
    }

    static String error(String message) {
        return message == null ? "" : "<p class=\"error\" role=\"alert\">" + escape(message) + "</p>";
    }
}
