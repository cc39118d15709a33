<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>SettingsDialog</name>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation>设置未能保存：%1</translation>
    </message>
</context>
<context>
    <name>SettingsDialogView</name>
    <message>
        <source>Display settings of this PC</source>
        <translation>本机显示设置</translation>
    </message>
    <message>
        <source>High contrast (light text on black)</source>
        <translation>高对比度（黑底亮字）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>字体大小</translation>
    </message>
    <message>
        <source>A new language takes effect at the next sign-in.</source>
        <translation>更改语言在下次登录时生效。</translation>
    </message>
</context>
</TS>