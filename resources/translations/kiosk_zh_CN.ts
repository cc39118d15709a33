<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>Kiosk</name>
    <message>
        <source>%1 waiting</source>
        <translation>%1 人等候</translation>
    </message>
    <message>
        <source>not offered now</source>
        <translation>暂不办理</translation>
    </message>
    <message>
        <source>Connection lost — retrying…</source>
        <translation>网络连接中断，正在重试…</translation>
    </message>
    <message>
        <source>Sorry, the system is busy. Please try again or ask the hall staff.</source>
        <translation>系统繁忙，请稍后再试或咨询大堂工作人员。</translation>
    </message>
    <message>
        <source>Printing your ticket… %1 waiting ahead of you</source>
        <translation>正在打印号票… 您前面还有 %1 人</translation>
    </message>
    <message>
        <source>Please take your ticket. %1 waiting ahead of you.</source>
        <translation>请取走号票。您前面还有 %1 人等候。</translation>
    </message>
    <message>
        <source>The ticket could not be printed. Your number is %1 — please remember it; you keep your place.</source>
        <translation>号票打印失败。您的号码是 %1，请记住此号码，排队位置不变。</translation>
    </message>
</context>
<context>
    <name>KioskView</name>
    <message>
        <source>Touch your service to take a number</source>
        <translation>请点击您要办理的业务取号</translation>
    </message>
    <message>
        <source>Priority lane (elderly, disabled, pregnant)</source>
        <translation>绿色通道（老人、残障人士、孕妇）</translation>
    </message>
</context>
</TS>