<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>PhraseEditor</name>
    <message>
        <source>Source: %1</source>
        <translation>出处：%1</translation>
    </message>
    <message>
        <source>%1 — as shipped</source>
        <translation>%1 —— 默认</translation>
    </message>
    <message>
        <source>%1 — changed by a manager</source>
        <translation>%1 —— 已由主任修改</translation>
    </message>
    <message>
        <source>%1 — added by a manager</source>
        <translation>%1 —— 由主任新增</translation>
    </message>
    <message>
        <source>New phrase in “%1”</source>
        <translation>在“%1”中新增用语</translation>
    </message>
    <message>
        <source>Saved. Every window of the hall sees the change.</source>
        <translation>已保存，本营业厅的所有窗口都会看到修改。</translation>
    </message>
    <message>
        <source>Removed.</source>
        <translation>已删除。</translation>
    </message>
    <message>
        <source>Restored as shipped.</source>
        <translation>已恢复默认。</translation>
    </message>
    <message>
        <source>This item was not changed.</source>
        <translation>此条未被修改过。</translation>
    </message>
    <message>
        <source>Undo every change to the service phrases of this hall and go back to the shipped phrases?</source>
        <translation>撤销本营业厅对服务用语的全部修改，恢复为默认用语？</translation>
    </message>
    <message>
        <source>All defaults restored (%1 changes undone).</source>
        <translation>已全部恢复默认（撤销 %1 处修改）。</translation>
    </message>
</context>
<context>
    <name>PhraseEditorView</name>
    <message>
        <source>Edit service phrases</source>
        <translation>编辑服务用语</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Phrase</source>
        <translation>用语</translation>
    </message>
    <message>
        <source>Say instead</source>
        <translation>应说</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新增(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>Restore &amp;this item</source>
        <translation>恢复此条(&amp;T)</translation>
    </message>
    <message>
        <source>Restore &amp;all defaults</source>
        <translation>全部恢复默认(&amp;A)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Situation / group</source>
        <translation>情境 / 分组</translation>
    </message>
</context>
</TS>