<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CloseFormView</name>
    <message>
        <source>Close account %1</source>
        <translation>销户 %1</translation>
    </message>
    <message>
        <source>Final meter reading</source>
        <translation>终止读数</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Go to payment</source>
        <translation>去缴费</translation>
    </message>
</context>
<context>
    <name>OpeningFormView</name>
    <message>
        <source>Open an account</source>
        <translation>开户</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>户主姓名/名称</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Customer type</source>
        <translation>客户类型</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街道/路</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>小区/社区</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>Address note</source>
        <translation>地址补充</translation>
    </message>
    <message>
        <source>Meter number</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Meter type</source>
        <translation>表型</translation>
    </message>
    <message>
        <source>Supply contract no.</source>
        <translation>供用气合同编号</translation>
    </message>
    <message>
        <source>Supply contract date</source>
        <translation>供用气合同签订日期</translation>
    </message>
    <message>
        <source>Safety contract no.</source>
        <translation>安全用气合同编号</translation>
    </message>
    <message>
        <source>Safety contract date</source>
        <translation>安全用气合同签订日期</translation>
    </message>
    <message>
        <source>Special group</source>
        <translation>特殊群体</translation>
    </message>
</context>
<context>
    <name>RenameFormView</name>
    <message>
        <source>Rename account %1</source>
        <translation>更名 %1</translation>
    </message>
    <message>
        <source>Corrected name</source>
        <translation>更正后的户名</translation>
    </message>
    <message>
        <source>Phone (if changed)</source>
        <translation>联系电话（如有变更）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Go to payment</source>
        <translation>去缴费</translation>
    </message>
</context>
<context>
    <name>TransferFormView</name>
    <message>
        <source>Transfer account %1</source>
        <translation>过户 %1</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>过户原因</translation>
    </message>
    <message>
        <source>New holder</source>
        <translation>新户主</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>New holder's name</source>
        <translation>新户主姓名/名称</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Go to payment</source>
        <translation>去缴费</translation>
    </message>
</context>
<context>
    <name>_FormView</name>
    <message>
        <source>Documents checked</source>
        <translation>已核验资料</translation>
    </message>
</context>
</TS>