//! Signed checkpoints of the audit log's head. The hash chain shows any entry changed, removed or
//! inserted between two others, but not its end cut off, nor a chain rewritten and rehashed from
//! some entry on: whoever can write the database can do both. A checkpoint is the head (sequence
//! number and hash) signed with an Ed25519 key kept outside the database; kept apart from it (a
//! file elsewhere, a ticket, a printout), it lets `tsunagu audit verify --checkpoint` tell that
//! the log still holds that entry, unchanged. What it cannot show: entries appended after the
//! last checkpoint and then cut or rewritten, and anything done by someone who holds the key.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

/// The audit log's head as signed: where it was, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The sequence number of the last entry.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// When it was signed (RFC 3339).
    pub signed_at: String,
    /// The Ed25519 public key that signed, hex.
    pub public_key: String,
    /// The signature over [`message`], hex.
    pub signature: String,
}

/// What a checkpoint's signature covers.
fn message(seq: i64, hash: &str, signed_at: &str) -> Vec<u8> {
    format!("tsunagu audit checkpoint v1\n{seq}\n{hash}\n{signed_at}\n").into_bytes()
}

/// Why a checkpoint or a key was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The key is not 64 hexadecimal digits.
    #[error("the checkpoint key must be 64 hexadecimal digits (a key made by `tsunagu audit key`)")]
    Key,
    /// The signature does not match the checkpoint: it was changed, or forged.
    #[error("the checkpoint of entry {seq} does not match its signature: it was changed or forged")]
    Signature {
        /// The entry it names.
        seq: i64,
    },
    /// The checkpoint was signed with another key than the one it is checked against.
    #[error("the checkpoint of entry {seq} was signed with key {found}, not {expected}")]
    OtherKey {
        /// The entry it names.
        seq: i64,
        /// The key that signed it.
        found: String,
        /// The key expected.
        expected: String,
    },
}

/// The secret key that signs checkpoints.
pub struct CheckpointKey(SigningKey);

impl std::fmt::Debug for CheckpointKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("CheckpointKey").field(&self.public_key()).finish()
    }
}

impl CheckpointKey {
    /// The key of these 32 secret bytes (from a cryptographic random source).
    pub fn from_secret(secret: [u8; 32]) -> Self {
        Self(SigningKey::from_bytes(&secret))
    }

    /// Reads a key written by [`CheckpointKey::to_hex`] (surrounding whitespace ignored).
    pub fn parse(text: &str) -> Result<Self, CheckpointError> {
        let mut secret = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut secret).map_err(|_| CheckpointError::Key)?;
        Ok(Self::from_secret(secret))
    }

    /// The secret key as 64 hexadecimal digits, for the key file.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    /// The public key, hex: what checkpoints are checked against.
    pub fn public_key(&self) -> String {
        hex::encode(self.0.verifying_key().to_bytes())
    }

    /// Signs the head `seq`, `hash` at `signed_at`.
    pub fn sign(&self, seq: i64, hash: &str, signed_at: &str) -> Checkpoint {
        let signature = self.0.sign(&message(seq, hash, signed_at));
        Checkpoint {
            seq,
            hash: hash.to_owned(),
            signed_at: signed_at.to_owned(),
            public_key: self.public_key(),
            signature: hex::encode(signature.to_bytes()),
        }
    }
}

impl Checkpoint {
    /// Checks the signature, and that the signer is `expected` (a public key, hex) when given.
    /// Without `expected` a forger could sign with a key of their own: pin the key.
    pub fn verify(&self, expected: Option<&str>) -> Result<(), CheckpointError> {
        let bad = || CheckpointError::Signature { seq: self.seq };
        if let Some(expected) = expected
            && !expected.trim().eq_ignore_ascii_case(&self.public_key)
        {
            return Err(CheckpointError::OtherKey {
                seq: self.seq,
                found: self.public_key.clone(),
                expected: expected.trim().to_owned(),
            });
        }
        let mut key = [0u8; 32];
        hex::decode_to_slice(&self.public_key, &mut key).map_err(|_| bad())?;
        let key = VerifyingKey::from_bytes(&key).map_err(|_| bad())?;
        let mut signature = [0u8; 64];
        hex::decode_to_slice(&self.signature, &mut signature).map_err(|_| bad())?;
        key.verify(&message(self.seq, &self.hash, &self.signed_at), &Signature::from_bytes(&signature))
            .map_err(|_| bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "5f2b0c6fd3f4c1d0b2a8e7a4f1c9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1";

    #[test]
    fn a_checkpoint_verifies_and_any_change_to_it_does_not() {
        let key = CheckpointKey::from_secret([7; 32]);
        let checkpoint = key.sign(120, HASH, "2026-12-03T09:00:00Z");
        assert_eq!(checkpoint.verify(None), Ok(()));
        assert_eq!(checkpoint.verify(Some(&key.public_key())), Ok(()));
        for changed in [
            Checkpoint { seq: 121, ..checkpoint.clone() },
            Checkpoint { hash: HASH.replace('5', "6"), ..checkpoint.clone() },
            Checkpoint { signed_at: "2026-12-04T09:00:00Z".into(), ..checkpoint.clone() },
        ] {
            assert_eq!(changed.verify(None), Err(CheckpointError::Signature { seq: changed.seq }));
        }
    }

    #[test]
    fn a_checkpoint_signed_with_another_key_is_refused_when_the_key_is_pinned() {
        let ours = CheckpointKey::from_secret([7; 32]);
        let forger = CheckpointKey::from_secret([8; 32]);
        let forged = forger.sign(120, HASH, "2026-12-03T09:00:00Z");
        assert_eq!(forged.verify(None), Ok(()), "a valid signature, of the wrong key");
        assert!(matches!(forged.verify(Some(&ours.public_key())), Err(CheckpointError::OtherKey { .. })));
    }

    #[test]
    fn keys_read_back_from_their_hex() {
        let key = CheckpointKey::from_secret([9; 32]);
        let again = CheckpointKey::parse(&format!("{}\n", key.to_hex())).unwrap();
        assert_eq!(again.public_key(), key.public_key());
        assert_eq!(CheckpointKey::parse("not a key").unwrap_err(), CheckpointError::Key);
    }
}
