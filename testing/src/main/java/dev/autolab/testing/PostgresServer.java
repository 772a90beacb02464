package dev.autolab.testing;

/** A running PostgreSQL that tests may create databases on, however it was obtained. */
public record PostgresServer(String host, int port, String user, String password, String source) {

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }
}
