package org.edgeorch.security;

import org.osgi.annotation.versioning.ProviderType;

/** Hashes and checks passwords with a memory-hard function; the encoded form carries its parameters. */
@ProviderType
public interface PasswordHasher {

    /** Encodes {@code password} with a fresh random salt, in PHC string format. */
    String hash(char[] password);

    /** Checks {@code password} against an encoding made by {@link #hash}; constant-time in the hash. */
    boolean verify(char[] password, String encoded);

    /** Whether {@code value} is an encoding in this hasher's format (so a stored hash), not a password. */
    boolean isEncoded(String value);

    /** Whether {@code encoded} was made with weaker parameters than current ones and should be redone. */
    boolean needsRehash(String encoded);
}
