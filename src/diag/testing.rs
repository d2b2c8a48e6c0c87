//! Test support: texts made of chosen pieces, for the tests that hold a quick
//! path to the slow walk it stands for.

/// `cases` texts, the n-th of `n % most` pieces drawn by a seeded generator:
/// no dependency, the same texts every run.
pub fn texts<S: AsRef<str>>(
    pieces: &[S],
    seed: u64,
    cases: usize,
    most: usize,
) -> impl Iterator<Item = String> + '_ {
    let mut state = seed;
    (0..cases).map(move |n| {
        let mut text = String::new();
        for _ in 0..(n % most) {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(pieces[(state >> 33) as usize % pieces.len()].as_ref());
        }
        text
    })
}
