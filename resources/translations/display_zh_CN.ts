<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>Display</name>
    <message>
        <source>Page %1/%2</source>
        <translation>第 %1/%2 页</translation>
    </message>
    <message>
        <source>Connection lost — retrying…</source>
        <translation>网络连接中断，正在重试…</translation>
    </message>
    <message>
        <source>%1 %2: %3 waiting</source>
        <translation>%1 %2：%3 人等候</translation>
    </message>
    <message>
        <source>Number %1, please go to window %2</source>
        <translation>请 %1 号到 %2 号窗口办理</translation>
    </message>
</context>
<context>
    <name>RecentCallsModel</name>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>(recall)</source>
        <translation>（重呼）</translation>
    </message>
    <message>
        <source>Window %1</source>
        <translation>%1 号窗口</translation>
    </message>
</context>
<context>
    <name>WindowsModel</name>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Now serving</source>
        <translation>正在办理</translation>
    </message>
    <message>
        <source>Window %1</source>
        <translation>%1 号窗口</translation>
    </message>
    <message>
        <source>Paused — back at %1</source>
        <translation>暂停服务 %1返回</translation>
    </message>
</context>
</TS>