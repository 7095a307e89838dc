//! Record keys made by the server.

/// A fresh record key: 20 lower-case letters and digits, as SurrealDB makes them.
pub fn new_key() -> String {
    random_key(20)
}

/// `len` random lower-case letters and digits.
pub fn random_key(len: usize) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..len).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}
