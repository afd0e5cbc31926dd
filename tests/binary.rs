//! Properties of the built binary itself, which the start-up time rests on.

/// build.rs links aigw without PIE: the dynamic loader then has no
/// relative relocations to apply to the static schema data at each start
/// (two thirds of the page faults of a one-route run).
#[cfg(target_os = "linux")]
#[test]
fn the_binary_is_not_position_independent() {
    let bytes = std::fs::read(env!("CARGO_BIN_EXE_aigw")).unwrap_or_default();
    // ELF header: the magic, then e_type (little-endian u16) at offset 16.
    assert_eq!(bytes.get(..4), Some(&b"\x7fELF"[..]));
    let e_type = bytes
        .get(16..18)
        .and_then(|t| <[u8; 2]>::try_from(t).ok())
        .map(u16::from_le_bytes);
    const ET_EXEC: u16 = 2;
    assert_eq!(e_type, Some(ET_EXEC), "ET_DYN (3) is a PIE");
}
