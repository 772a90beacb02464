package dev.autolab.auth.revocation;

/** Fired when revocations may have gone unheard (listening resumed after a gap): caches start over. */
public record RevocationsMissed() {}
