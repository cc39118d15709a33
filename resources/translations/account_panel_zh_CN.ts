<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountPanel</name>
    <message>
        <source>Accounts</source>
        <translation>客户档案</translation>
    </message>
    <message>
        <source>Find account</source>
        <translation>查询客户</translation>
    </message>
    <message>
        <source>Open account</source>
        <translation>开户</translation>
    </message>
    <message>
        <source>Rename account</source>
        <translation>更名</translation>
    </message>
    <message>
        <source>Transfer account</source>
        <translation>过户</translation>
    </message>
</context>
<context>
    <name>AccountPanelController</name>
    <message>
        <source>More matches: type more characters</source>
        <translation>结果较多，请再多输入几个字</translation>
    </message>
    <message>
        <source>Slip not printed: %1 (the business is saved)</source>
        <translation>凭条未打印：%1（业务已保存，可稍后补打）</translation>
    </message>
    <message>
        <source>Slip printed; form ready to sign</source>
        <translation>凭条已打印，确认单已生成，请客户签字</translation>
    </message>
    <message>
        <source>Find and select an account first</source>
        <translation>请先查询并选中一个户号</translation>
    </message>
    <message>
        <source>Account %1 owes %2: it must be paid before the %3.</source>
        <translation>户号 %1 尚有欠费 %2，须先缴清才能办理%3。</translation>
    </message>
    <message>
        <source>Arrears</source>
        <translation>欠费</translation>
    </message>
    <message>
        <source>Go to payment</source>
        <translation>去缴费</translation>
    </message>
    <message>
        <source>name change</source>
        <translation>更名</translation>
    </message>
    <message>
        <source>transfer</source>
        <translation>过户</translation>
    </message>
    <message>
        <source>closing</source>
        <translation>销户</translation>
    </message>
    <message>
        <source>Full ID number</source>
        <translation>完整证件号码</translation>
    </message>
    <message>
        <source>%1 (this look-up is recorded)</source>
        <translation>%1（本次查看已记入审计日志）</translation>
    </message>
</context>
<context>
    <name>AccountPanelView</name>
    <message>
        <source>Account no., name, pinyin initials, phone, ID ending, address, meter (F8)</source>
        <translation>户号、姓名、拼音首字母、电话、证件尾号、地址、表号（F8）</translation>
    </message>
    <message>
        <source>Open account (Ctrl+N)</source>
        <translation>开户（Ctrl+N）</translation>
    </message>
    <message>
        <source>Rename (Ctrl+R)</source>
        <translation>更名（Ctrl+R）</translation>
    </message>
    <message>
        <source>Transfer (Ctrl+T)</source>
        <translation>过户（Ctrl+T）</translation>
    </message>
    <message>
        <source>Close account</source>
        <translation>销户</translation>
    </message>
    <message>
        <source>Pay arrears</source>
        <translation>缴清欠费</translation>
    </message>
    <message>
        <source>Show full ID</source>
        <translation>查看完整证件号</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>证件号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
</TS>