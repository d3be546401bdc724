package io.otpgate.jdbc;

/** Where a test's data lives: the same three settings an operator gives OTPGate. */
public record TestDatabase(String url, String user, String password) {

    public Database open(int poolSize) {
        return Database.open(url, user, password, poolSize);
    }
}
