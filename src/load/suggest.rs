//! "Did you mean": the nearest valid name to a misspelt one, by edit distance
//! over characters (no pinyin). A leaf: used by the loader, the rules, the
//! settings and the command line alike.

/// Edit distance (insertions, deletions, substitutions, and swaps of two
/// neighbouring characters) between two words, counted in characters.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

/// The longest word a suggestion is looked for.
const MAX_WORD: usize = 64;

/// The candidate nearest to `word`, if it is near enough to be what was meant:
/// at most a third of the word's length away (at least one edit), or the word
/// with its case or separators changed. Ties go to the first candidate.
pub fn nearest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    // A name is short; a long word (a hostile file's 1 MB key) is not a typo of
    // one, and comparing it would cost its length times each candidate's.
    let chars = word.chars().count();
    if chars > MAX_WORD {
        return None;
    }
    let norm = |s: &str| s.to_lowercase().replace(['-', '_', ' '], "");
    let target = norm(word);
    let limit = (chars / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == word {
            return None;
        }
        let d = if norm(c) == target {
            0
        } else {
            distance(word, c)
        };
        if (d <= limit || same_stem(word, c)) && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Two forms of one word (`decision`, `decide`): they share their first four
/// characters or more, and at least two thirds of the shorter one.
fn same_stem(a: &str, b: &str) -> bool {
    let shared = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    shared >= 4 && shared * 3 >= shorter * 2
}

/// 「，是不是 `x`？」 for a message, or nothing.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    nearest(word, candidates).map_or(String::new(), |c| format!("，是不是 `{c}`？"))
}

/// What follows a hint in a message that goes on: nothing after a question,
/// 「；」 otherwise.
pub fn then(hint: &str) -> &'static str {
    if hint.is_empty() {
        "；"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_words_are_suggested_and_far_ones_not() {
        let ids = ["apply", "accept", "review", "decide", "deliver"];
        assert_eq!(nearest("decied", ids), Some("decide"));
        assert_eq!(nearest("acept", ids), Some("accept"));
        assert_eq!(nearest("archive", ids), None);
        assert_eq!(
            nearest("decision", ids),
            Some("decide"),
            "one word's two forms"
        );
        assert_eq!(nearest("reviewer", ids), Some("review"));
        assert_eq!(nearest("delay", ids), None);
        assert_eq!(
            nearest("timelimit", ["time_limit", "name"]),
            Some("time_limit")
        );
        assert_eq!(
            nearest("行政许", ["行政许可", "行政处罚"]),
            Some("行政许可")
        );
        assert_eq!(
            nearest("decide", ids),
            None,
            "an exact name needs no suggestion"
        );
        assert_eq!(distance("ab", "ba"), 1);
        let long = "a".repeat(100_000);
        assert_eq!(nearest(&long, ["a"]), None, "a huge word is not compared");
    }
}
