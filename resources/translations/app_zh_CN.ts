<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>An unexpected error occurred. It has been written to the log file; please tell IT. Nothing you saved was lost.</source>
        <translation>发生了意外错误，已写入日志文件，请告知信息科。已保存的数据不会丢失。</translation>
    </message>
    <message>
        <source>CounterDesk</source>
        <translation>营业厅窗口服务系统</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
</context>
</TS>