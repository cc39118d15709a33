<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>FirstRun</name>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Change settings…</source>
        <translation>修改设置……</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>The settings file cannot be used: %1 Correct the settings below and save; the old file is kept next to it as .broken.</source>
        <translation>设置文件无法使用：%1 请在下面改正后保存；原文件会以 .broken 结尾另存在同一文件夹。</translation>
    </message>
    <message>
        <source>Check this PC's settings; they are saved in %1.</source>
        <translation>请检查本机设置；设置保存在 %1。</translation>
    </message>
    <message>
        <source>The database did not answer: %1 Correct the settings below, test and save.</source>
        <translation>数据库没有应答：%1 请在下面改正设置，测试后保存。</translation>
    </message>
    <message>
        <source>Enter the server's database URL, e.g. postgresql+psycopg://user:password@server/counterdesk</source>
        <translation>请填写服务器数据库地址，例如 postgresql+psycopg://用户:密码@服务器/counterdesk</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接……</translation>
    </message>
    <message>
        <source>The database did not answer; correct it or choose this PC, then save again.</source>
        <translation>数据库没有应答：请改正地址或改用本机数据库，然后再保存。</translation>
    </message>
    <message>
        <source>Sending a test page to %1…</source>
        <translation>正在向 %1 发送测试页……</translation>
    </message>
    <message>
        <source>Correct the printer address, or choose “No receipt printer”.</source>
        <translation>请改正打印机地址，或选择“不接票据打印机”。</translation>
    </message>
    <message>
        <source>The settings could not be saved to %1: %2</source>
        <translation>设置无法保存到 %1：%2</translation>
    </message>
</context>
<context>
    <name>FirstRunView</name>
    <message>
        <source>CounterDesk — set up this PC</source>
        <translation>CounterDesk — 本机设置</translation>
    </message>
    <message>
        <source>This PC has no CounterDesk settings yet. Choose the database, this PC's window and its receipt printer; they are saved in %1.</source>
        <translation>本机还没有 CounterDesk 设置。请选择数据库、本机窗口号和票据打印机；设置将保存在 %1。</translation>
    </message>
    <message>
        <source>This PC only (a database file on this PC)</source>
        <translation>仅本机（数据库文件在本机）</translation>
    </message>
    <message>
        <source>The hall's database server (PostgreSQL)</source>
        <translation>营业厅数据库服务器（PostgreSQL）</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>0 — kiosk, display or office PC</source>
        <translation>0 — 取号机、叫号屏或办公电脑</translation>
    </message>
    <message>
        <source>This PC</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Hall code</source>
        <translation>营业厅代码</translation>
    </message>
    <message>
        <source>Window number</source>
        <translation>窗口号</translation>
    </message>
    <message>
        <source>No receipt printer</source>
        <translation>不接票据打印机</translation>
    </message>
    <message>
        <source>Network printer (IP address)</source>
        <translation>网络打印机（IP 地址）</translation>
    </message>
    <message>
        <source>Windows printer (name)</source>
        <translation>Windows 打印机（名称）</translation>
    </message>
    <message>
        <source>USB printer (VID:PID)</source>
        <translation>USB 打印机（VID:PID）</translation>
    </message>
    <message>
        <source>Serial port (e.g. COM3)</source>
        <translation>串口（如 COM3）</translation>
    </message>
    <message>
        <source>File (testing)</source>
        <translation>文件（测试用）</translation>
    </message>
    <message>
        <source>80 mm paper</source>
        <translation>80 毫米纸</translation>
    </message>
    <message>
        <source>58 mm paper</source>
        <translation>58 毫米纸</translation>
    </message>
    <message>
        <source>Test print</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>票据打印机</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Save and start</source>
        <translation>保存并启动</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
</TS>