<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>SignInDialog</name>
    <message>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <source>Connecting to the database…</source>
        <translation>正在连接数据库……</translation>
    </message>
    <message>
        <source>Enter your staff number.</source>
        <translation>请输入工号。</translation>
    </message>
    <message>
        <source>Still connecting to the database; a moment please.</source>
        <translation>仍在连接数据库，请稍候。</translation>
    </message>
</context>
<context>
    <name>SignInView</name>
    <message>
        <source>CounterDesk — sign in</source>
        <translation>营业厅窗口服务系统 — 登录</translation>
    </message>
    <message>
        <source>Business hall counter — sign in</source>
        <translation>营业厅窗口 — 柜员登录</translation>
    </message>
    <message>
        <source>Staff number</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>none (office)</source>
        <translation>无（办公室）</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Staff number (工号)</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
</context>
</TS>