//! A law's text in the Markdown form of the 国家法律法规数据库 copy (SPEC §5.1a):
//! title, the history lines (通过, 修正, 公布, 施行) and the articles by paragraph.

use crate::model::duration::{chinese_number, is_numeral};

/// One law's text as read from its Markdown file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LawText {
    /// The first `# ` line: 中华人民共和国行政许可法.
    pub title: String,
    /// The lines before `<!-- INFO END -->`: when it was passed, amended, in force.
    pub history: Vec<String>,
    pub articles: Vec<Article>,
}

/// One article: its number, its 之一/之二 (0 when none) and its paragraphs (款).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub number: u32,
    pub sub: u32,
    pub paragraphs: Vec<String>,
}

impl Article {
    /// 第十七条之一, as the law numbers it.
    pub fn label(&self) -> String {
        let mut s = format!("第{}条", chinese(self.number));
        if self.sub > 0 {
            s.push_str(&format!("之{}", chinese(self.sub)));
        }
        s
    }

    /// The whole article, paragraphs joined by a line break.
    pub fn wording(&self) -> String {
        self.paragraphs.join("\n")
    }

    /// Its paragraphs (款), each with the items (项) that follow it.
    pub fn clauses(&self) -> Vec<Vec<&str>> {
        let mut out: Vec<Vec<&str>> = Vec::new();
        for p in &self.paragraphs {
            match out.last_mut() {
                Some(last) if is_item(p) => last.push(p),
                _ => out.push(vec![p]),
            }
        }
        out
    }
}

/// 1260 → 一千二百六十; 10 → 十; 105 → 一百零五 (the way laws number articles).
pub fn chinese(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 {
        return D[0].to_string();
    }
    let parts = [
        (n / 1000 % 10, "千"),
        (n / 100 % 10, "百"),
        (n / 10 % 10, "十"),
        (n % 10, ""),
    ];
    let mut out = String::new();
    let mut zero = false;
    for (i, (d, unit)) in parts.iter().enumerate() {
        if *d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push_str(D[0]);
            zero = false;
        }
        // 十五, not 一十五, when the ten leads.
        if !(*d == 1 && i == 2 && out.is_empty()) {
            out.push_str(D[*d as usize]);
        }
        out.push_str(unit);
    }
    if n >= 10_000 {
        return n.to_string();
    }
    out
}

/// `第十七条之一 …` → (17, 1, the rest of the line); None when the line opens no article.
fn article_line(line: &str) -> Option<(u32, u32, &str)> {
    // 笫 for 第 and 「第一百二十八 条」 are slips the copy has.
    let after = line
        .strip_prefix('第')
        .or_else(|| line.strip_prefix('笫'))?;
    let (number, rest) = after.split_once('条')?;
    if number.chars().count() > 12 {
        return None;
    }
    let spaced = number.ends_with(char::is_whitespace);
    let number = numeral(number)?;
    let (sub, rest) = match rest.strip_prefix('之') {
        Some(r) => {
            let end = r
                .char_indices()
                .find(|(_, c)| !is_numeral(*c))
                .map_or(r.len(), |(i, _)| i);
            (numeral(&r[..end])?, &r[end..])
        }
        None => (0, rest),
    };
    // An article line goes on with a space (or ends): 「第三十一条的决定》」 is a sentence.
    let first = rest.chars().next();
    if !spaced && first.is_some_and(|c| !c.is_whitespace()) {
        return None;
    }
    Some((number, sub, rest.trim()))
}

/// An item line: （一）… or (一)….
pub fn is_item(line: &str) -> bool {
    let Some(rest) = line.strip_prefix(['（', '(']) else {
        return false;
    };
    let Some(end) = rest.find(['）', ')']) else {
        return false;
    };
    numeral(&rest[..end]).is_some()
}

/// A number in Chinese or Arabic numerals (not empty).
pub fn numeral(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    if !s.chars().all(is_numeral) {
        return None;
    }
    chinese_number(s)
}

/// Without the `<!-- … -->` comments the copy writes beside its lines.
fn without_comments(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains("<!--") {
        return std::borrow::Cow::Borrowed(line.trim());
    }
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        match rest[i..].find("-->") {
            Some(j) => rest = &rest[i + j + 3..],
            None => return out.trim().to_string().into(),
        }
    }
    out.push_str(rest);
    out.trim().to_string().into()
}

impl LawText {
    /// Reads a text in the copy's Markdown form. Never fails: what is not an
    /// article (chapters, tables, appendices) is left out.
    pub fn parse(markdown: &str) -> LawText {
        let mut text = LawText::default();
        let mut body = markdown;
        if let Some(rest) = body.strip_prefix("---\n") {
            if let Some(end) = rest.find("\n---\n") {
                body = &rest[end + 5..];
            }
        }
        let mut header = true;
        let mut current: Option<usize> = None;
        for raw in body.lines() {
            let trimmed = raw.trim();
            if trimmed.starts_with("<!-- INFO END") {
                header = false;
                continue;
            }
            if let Some(title) = trimmed.strip_prefix("# ") {
                // A law in parts (民法典's 编) repeats its header before each part.
                if text.title.is_empty() {
                    text.title = without_comments(title).into_owned();
                }
                header = true;
                current = None;
                continue;
            }
            if trimmed.starts_with('#') {
                current = None;
                continue;
            }
            let line = without_comments(trimmed);
            if line.is_empty() {
                continue;
            }
            if let Some((number, sub, rest)) = article_line(&line) {
                header = false;
                text.articles.push(Article {
                    number,
                    sub,
                    paragraphs: if rest.is_empty() {
                        Vec::new()
                    } else {
                        vec![rest.to_string()]
                    },
                });
                current = Some(text.articles.len() - 1);
            } else if header {
                text.history.push(line.into_owned());
            } else if let Some(i) = current {
                text.articles[i].paragraphs.push(line.into_owned());
            }
        }
        text
    }

    /// The article numbered `number` (`sub` for 之一 …).
    pub fn article(&self, number: u32, sub: u32) -> Option<&Article> {
        self.articles
            .iter()
            .find(|a| a.number == number && a.sub == sub)
    }

    /// How many articles the law numbers: its last article's number.
    pub fn count(&self) -> u32 {
        self.articles.iter().map(|a| a.number).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "---\nbookHidden: true\n---\n\n# 中华人民共和国某法 <!-- 注 -->\n\n2003年8月27日 第十届全国人民代表大会常务委员会第四次会议通过\n\n2019年4月23日 《关于修改<某法>的决定》\n第三十一条的决定》第一次修正\n\n<!-- INFO END -->\n\n## 第一章 总 则\n\n第一条 为了规范，制定本法。\n\n第二条 本法所称某事，是指：\n\n（一）甲；\n\n（二）乙。\n\n第二条之一 新增的条文。\n\n## 附件\n\n| 表 | 格 |\n\n第三条　全角空格之后的条文。\n";

    #[test]
    fn reads_title_history_articles_and_paragraphs() {
        let t = LawText::parse(SAMPLE);
        assert_eq!(t.title, "中华人民共和国某法");
        assert_eq!(t.history.len(), 3, "{:?}", t.history);
        assert_eq!(t.articles.len(), 4);
        assert_eq!(
            t.article(2, 0).unwrap().paragraphs,
            ["本法所称某事，是指：", "（一）甲；", "（二）乙。"]
        );
        assert_eq!(t.article(2, 1).unwrap().label(), "第二条之一");
        // The table after 附件 belongs to no article.
        assert_eq!(t.article(2, 1).unwrap().paragraphs, ["新增的条文。"]);
        assert_eq!(
            t.article(3, 0).unwrap().paragraphs,
            ["全角空格之后的条文。"]
        );
        assert_eq!(t.count(), 3);
        assert_eq!(t.article(2, 0).unwrap().clauses().len(), 1);
        assert_eq!(t.article(2, 0).unwrap().clauses()[0].len(), 3);
        let slips = LawText::parse("笫五十四条 甲。\n\n第一百二十八 条乙。\n");
        assert_eq!(
            slips.articles.iter().map(|a| a.number).collect::<Vec<_>>(),
            [54, 128]
        );
    }

    #[test]
    fn numbers_in_chinese() {
        for (n, s) in [
            (1, "一"),
            (10, "十"),
            (15, "十五"),
            (20, "二十"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1260, "一千二百六十"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
        ] {
            assert_eq!(chinese(n), s);
            assert_eq!(numeral(s), Some(n), "{s}");
        }
    }
}
