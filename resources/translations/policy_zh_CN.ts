<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>PolicyModel</name>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>当前值</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键名</translation>
    </message>
    <message>
        <source>Changed by %1</source>
        <translation>由 %1 修改</translation>
    </message>
</context>
<context>
    <name>PolicyScreen</name>
    <message>
        <source>Hall rules</source>
        <translation>营业厅规则</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Back to &amp;default</source>
        <translation>恢复默认(&amp;D)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>A whole number from %1 to %2</source>
        <translation>%1 到 %2 的整数</translation>
    </message>
    <message>
        <source>true or false (是/否)</source>
        <translation>是 或 否（true/false）</translation>
    </message>
    <message>
        <source>A time HH:MM, e.g. 08:30</source>
        <translation>HH:MM 格式的时间，如 08:30</translation>
    </message>
    <message>
        <source>Dates or ranges separated by commas, e.g. 2027-01-01, 2027-02-06..2027-02-12</source>
        <translation>以逗号分隔的日期或区间，如 2027-01-01, 2027-02-06..2027-02-12</translation>
    </message>
    <message>
        <source>Text, at most %1 characters</source>
        <translation>文本，不超过 %1 个字</translation>
    </message>
    <message>
        <source>Saved: %1 = %2</source>
        <translation>已保存：%1 = %2</translation>
    </message>
    <message>
        <source>Hall rules…</source>
        <translation>营业厅规则…</translation>
    </message>
</context>
</TS>