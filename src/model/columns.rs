//! The columns of the 职权目录 table, declared once: header, the other names
//! `import` accepts for it, and its width in the workbook. Export, import and
//! the site index rows by `Column`, never by header text, so they cannot drift.

use std::ops::{Index, IndexMut};

macro_rules! columns {
    ($($variant:ident = $header:literal, $width:literal, [$($alias:literal),* $(,)?];)*) => {
        /// One column of the 职权目录 table, in table order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Column {
            $($variant,)*
        }

        impl Column {
            pub const ALL: &'static [Column] = &[$(Column::$variant,)*];

            /// The header `export` writes.
            pub const fn header(self) -> &'static str {
                match self {
                    $(Column::$variant => $header,)*
                }
            }

            /// Other headers in use for this column, which `import` reads.
            pub const fn aliases(self) -> &'static [&'static str] {
                match self {
                    $(Column::$variant => &[$($alias),*],)*
                }
            }

            /// Column width in the workbook, in characters.
            pub const fn width(self) -> f64 {
                match self {
                    $(Column::$variant => $width,)*
                }
            }
        }
    };
}

columns! {
    No = "序号", 6.0, ["编号"];
    Code = "权力编码", 14.0, ["编码", "事项编码", "职权编码", "权力编号"];
    MainItem = "主项", 20.0, [];
    Name = "职权名称", 28.0, ["主项名称", "事项名称", "权力名称", "权力事项名称"];
    Category = "职权类别", 14.0, ["职权类型", "权力类别", "权力类型", "事项类型", "类别"];
    Department = "实施主体", 14.0, ["实施机关", "实施部门", "行使主体", "职权主体"];
    Office = "承办机构", 14.0, ["承办科室", "承办股室", "承办队室", "内设机构"];
    Responsible = "责任人", 14.0, ["负责人", "责任岗位", "责任人或责任岗位"];
    Source = "权力来源", 14.0, [];
    Basis = "设定依据", 60.0, ["职权依据", "依据", "权力依据", "法律依据", "行使依据", "实施依据"];
    Conditions = "受理条件", 36.0, ["受理条件或行使条件", "行使条件", "办理条件"];
    Materials = "申请材料", 36.0, ["申报材料"];
    Statutory = "法定时限", 14.0, ["法定期限", "法定办结时限"];
    Promised = "承诺时限", 14.0, ["承诺期限", "承诺办结时限"];
    Fees = "收费", 14.0, ["收费依据及标准", "收费标准", "收费情况"];
    Scope = "公开范围", 14.0, [];
    Channels = "公开渠道", 14.0, ["公开形式", "公开方式"];
    DisclosureTime = "公开时间", 12.0, ["公开时限"];
    Rights = "相对人权利", 14.0, [];
    Complaints = "投诉举报途径", 36.0, ["投诉举报电话", "监督投诉渠道", "投诉途径"];
    Duties = "责任事项", 48.0, ["责任事项内容"];
    DutyBasis = "责任事项依据", 48.0, [];
    Accountability = "追责情形", 40.0, ["追责事项", "问责情形"];
    AccountabilityBasis = "追责依据", 40.0, ["问责依据"];
    Note = "备注", 14.0, ["说明"];
    // The 权责清单 layout's two name columns (SPEC §7): 项目名称 is the 主项, or
    // the power's name when it has none; 子项 is then the power's name.
    Item = "项目名称", 20.0, [];
    SubItem = "子项", 18.0, ["子项名称", "子项名称及编码"];
}

impl Column {
    /// The column a header names, by its own header or one of its aliases.
    pub fn from_header(header: &str) -> Option<Column> {
        Column::ALL
            .iter()
            .copied()
            .find(|c| c.header() == header || c.aliases().contains(&header))
    }

    /// The column whose own header this is (for settings that name columns).
    pub fn named(header: &str) -> Option<Column> {
        Column::ALL.iter().copied().find(|c| c.header() == header)
    }

    /// The columns of the table `export` writes by default: every column but
    /// the 权责清单 layout's 项目名称 and 子项, which say again what 主项 and
    /// 职权名称 say.
    pub fn default_columns() -> impl Iterator<Item = Column> {
        Column::ALL
            .iter()
            .copied()
            .filter(|c| !matches!(c, Column::Item | Column::SubItem))
    }

    /// Every header, in table order.
    pub fn headers() -> impl Iterator<Item = &'static str> {
        Column::ALL.iter().map(|c| c.header())
    }
}

/// One row of the table: a cell per column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row(Vec<String>);

impl Row {
    /// A row with every cell empty.
    pub fn empty() -> Row {
        Row(vec![String::new(); Column::ALL.len()])
    }

    /// The cells in column order.
    pub fn cells(&self) -> &[String] {
        &self.0
    }

    /// Cells paired with their columns, in column order.
    pub fn iter(&self) -> impl Iterator<Item = (Column, &str)> {
        Column::ALL
            .iter()
            .copied()
            .zip(self.0.iter().map(String::as_str))
    }
}

impl Index<Column> for Row {
    type Output = String;
    fn index(&self, c: Column) -> &String {
        &self.0[c as usize]
    }
}

impl IndexMut<Column> for Row {
    fn index_mut(&mut self, c: Column) -> &mut String {
        &mut self.0[c as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_aliases_name_one_column_each() {
        let mut names: Vec<&str> = Column::ALL
            .iter()
            .flat_map(|c| std::iter::once(c.header()).chain(c.aliases().iter().copied()))
            .collect();
        let all = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all, "a header or alias names two columns");
        for (i, c) in Column::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
            assert_eq!(Column::from_header(c.header()), Some(*c));
        }
        assert_eq!(Column::from_header("项目名称"), Some(Column::Item));
    }
}
