//! How a basis cites a law: the name as it is matched and as it is shown, the
//! article number, and a clause in one form for comparing.

use crate::model::duration::chinese_number;

/// A law's name as it is matched: without 《》, spaces and 中华人民共和国.
pub fn key(name: &str) -> String {
    let n: String = name
        .chars()
        .filter(|c| !matches!(c, '《' | '》' | ' ' | '\u{3000}'))
        .collect();
    n.strip_prefix("中华人民共和国").unwrap_or(&n).to_string()
}

/// The article number of `第五十三条`, `第53条` or `第二十条第二款` (53, 53, 20).
pub fn article_number(article: &str) -> Option<u32> {
    let after = article.split_once('第')?.1;
    let (number, _) = after.split_once('条')?;
    let number = number.trim();
    if number.chars().all(|c| c.is_ascii_digit()) {
        return number.parse().ok();
    }
    chinese_number(number)
}

/// A cited name as it is shown inside 《》: without brackets of its own.
pub fn shown(name: &str) -> &str {
    name.trim().trim_start_matches('《').trim_end_matches('》')
}

/// `第二十条第二款` and `第20条第2款` as one form, for comparing clauses.
pub fn clause_key(article: &str) -> String {
    let compact: String = article.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::new();
    let mut rest = compact.as_str();
    while let Some(i) = rest.find('第') {
        out.push_str(&rest[..i]);
        let after = &rest[i + '第'.len_utf8()..];
        let end = after.find(['条', '款', '项']).unwrap_or(after.len());
        let n = &after[..end];
        let value = if n.chars().all(|c| c.is_ascii_digit()) {
            n.parse().ok()
        } else {
            chinese_number(n)
        };
        match value {
            Some(v) => out.push_str(&format!("第{v}")),
            None => out.push_str(&format!("第{n}")),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_in_chinese_or_arabic_numerals() {
        assert_eq!(article_number("第五十三条"), Some(53));
        assert_eq!(article_number("第53条"), Some(53));
        assert_eq!(article_number("第二十条第二款"), Some(20));
        assert_eq!(article_number("第一千二百六十条"), Some(1260));
        assert_eq!(article_number("第一百零五条"), Some(105));
        assert_eq!(article_number("第十条"), Some(10));
        assert_eq!(article_number("第十五条"), Some(15));
        assert_eq!(article_number("全文"), None);
        assert_eq!(clause_key("第二十条第二款"), clause_key("第20条第2款"));
        assert_ne!(clause_key("第二十条第二款"), clause_key("第二十条"));
    }

    #[test]
    fn names_match_without_brackets_or_the_country() {
        assert_eq!(key("《中华人民共和国行政处罚法》"), "行政处罚法");
        assert_eq!(key("行政处罚法"), "行政处罚法");
    }
}
