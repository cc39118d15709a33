<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>Workstation</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>快捷键一览</translation>
    </message>
    <message>
        <source>Display settings…</source>
        <translation>显示设置…</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>放大字体</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>缩小字体</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>高对比度</translation>
    </message>
    <message>
        <source>Change my password…</source>
        <translation>修改我的密码…</translation>
    </message>
    <message>
        <source>Staff accounts…</source>
        <translation>员工账号…</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Your password is changed.</source>
        <translation>您的密码已修改。</translation>
    </message>
    <message>
        <source>Text size %1×</source>
        <translation>字体大小 %1×</translation>
    </message>
    <message>
        <source>The language changes at the next sign-in.</source>
        <translation>语言将在下次登录时更改。</translation>
    </message>
    <message>
        <source>Today: %1 served</source>
        <translation>今日已办 %1 笔</translation>
    </message>
    <message>
        <source>takings ￥%1</source>
        <translation>收款 ￥%1</translation>
    </message>
    <message>
        <source>Receipts waiting: %1</source>
        <translation>待打票据：%1</translation>
    </message>
    <message>
        <source>This window is paused</source>
        <translation>此窗口暂停服务</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>原因：%1</translation>
    </message>
    <message>
        <source>Back at %1</source>
        <translation>预计 %1 恢复</translation>
    </message>
    <message>
        <source>F7 resumes the service</source>
        <translation>按 F7 恢复服务</translation>
    </message>
</context>
</TS>