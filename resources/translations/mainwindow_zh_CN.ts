<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>MainWindow</name>
    <message>
        <source>Clerk %1 %2</source>
        <translation>柜员 %1 %2</translation>
    </message>
    <message>
        <source>Window %1</source>
        <translation>%1 号窗口</translation>
    </message>
    <message>
        <source>No window</source>
        <translation>未绑定窗口</translation>
    </message>
    <message>
        <source>Printer: %1</source>
        <translation>打印机：%1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>No business modules are installed.</source>
        <translation>未安装业务模块。</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <source>Database %1: %2</source>
        <translation>数据库 %1：%2</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>NOT REACHABLE</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>OFFLINE</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Receipts waiting: %1</source>
        <translation>待打印票据：%1</translation>
    </message>
    <message>
        <source>About CounterDesk</source>
        <translation>关于 CounterDesk</translation>
    </message>
    <message>
        <source>CounterDesk %1 — business hall counter system</source>
        <translation>CounterDesk %1 — 营业厅窗口服务系统</translation>
    </message>
</context>
<context>
    <name>MainWindowView</name>
    <message>
        <source>CounterDesk %1</source>
        <translation>营业厅窗口服务系统 CounterDesk %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Business</source>
        <translation>业务(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Queue</source>
        <translation>排队(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Manage</source>
        <translation>管理(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Sign out and quit</source>
        <translation>退出登录并关闭</translation>
    </message>
    <message>
        <source>About CounterDesk</source>
        <translation>关于 CounterDesk</translation>
    </message>
</context>
</TS>