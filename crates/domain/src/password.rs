//! Password length policy. Length is the rule that matters (NIST SP 800-63B): no
//! composition rules, and a generous maximum so passphrases fit while an attacker
//! cannot make us hash megabytes.

use crate::error::DomainError;
use unicode_normalization::UnicodeNormalization;

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// Counts characters, not bytes, so a Vietnamese passphrase is not penalised for its
/// multi-byte letters. The count is taken on the NFC form, so "mật khẩu" typed on a
/// keyboard that sends decomposed letters gets the same verdict.
pub fn check_password_policy(pw: &str) -> Result<(), DomainError> {
    let chars = pw.nfc().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(DomainError::PasswordTooShort {
            min: MIN_PASSWORD_CHARS,
        })
    } else if chars > MAX_PASSWORD_CHARS {
        Err(DomainError::PasswordTooLong {
            max: MAX_PASSWORD_CHARS,
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOO_SHORT: Result<(), DomainError> = Err(DomainError::PasswordTooShort { min: 12 });
    const TOO_LONG: Result<(), DomainError> = Err(DomainError::PasswordTooLong { max: 1024 });

    #[test]
    fn bounds_are_inclusive() {
        assert_eq!(check_password_policy(""), TOO_SHORT);
        assert_eq!(check_password_policy(&"a".repeat(11)), TOO_SHORT);
        assert_eq!(check_password_policy(&"a".repeat(12)), Ok(()));
        assert_eq!(check_password_policy(&"a".repeat(1024)), Ok(()));
        assert_eq!(check_password_policy(&"a".repeat(1025)), TOO_LONG);
    }

    #[test]
    fn counts_characters_not_bytes() {
        // 11 letters, 27 bytes: still too short.
        let eleven = "đườngđườngđ";
        assert!(eleven.len() > 12);
        assert_eq!(check_password_policy(eleven), TOO_SHORT);
        assert_eq!(check_password_policy("mật khẩu dài"), Ok(()));
        // 1024 three-byte letters are within the limit.
        assert_eq!(check_password_policy(&"ữ".repeat(1024)), Ok(()));
    }

    #[test]
    fn decomposed_input_is_counted_like_composed() {
        // "ặ" as a + dot below + breve: three code points, one letter.
        let nfd = "a\u{0323}\u{0306}".repeat(11);
        assert_eq!(check_password_policy(&nfd), TOO_SHORT);
    }
}
