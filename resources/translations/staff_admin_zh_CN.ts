<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChangePassword</name>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>原密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再输一次新密码</translation>
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
        <source>Staff no. %1 (%2)</source>
        <translation>工号 %1（%2）</translation>
    </message>
</context>
<context>
    <name>StaffAdmin</name>
    <message>
        <source>Staff accounts</source>
        <translation>员工账号</translation>
    </message>
    <message>
        <source>Staff no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再输一次密码</translation>
    </message>
    <message>
        <source>New account: fill in the fields and press Add. Selected account: type a new password twice and press Reset password (this also lifts a lock-out).</source>
        <translation>新增账号：填写下面各项后按“新增”。选中的账号：输入两次新密码后按“重置密码”（同时解除锁定）。</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>新增(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Reset password</source>
        <translation>重置密码(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解除锁定(&amp;U)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>启用(&amp;E)</translation>
    </message>
    <message>
        <source>Account %1 (%2) added. Give the person the password; they can change it with “Change my password”.</source>
        <translation>已新增账号 %1（%2）。请把密码交给本人，本人可用“修改我的密码”自行更改。</translation>
    </message>
    <message>
        <source>New password set for %1; a lock-out is lifted.</source>
        <translation>已为 %1 设置新密码，锁定已解除。</translation>
    </message>
    <message>
        <source>%1 can sign in again.</source>
        <translation>%1 已启用，可以重新登录。</translation>
    </message>
    <message>
        <source>%1 is disabled and cannot sign in.</source>
        <translation>%1 已停用，不能登录。</translation>
    </message>
    <message>
        <source>%1 is unlocked.</source>
        <translation>已解除 %1 的锁定。</translation>
    </message>
</context>
<context>
    <name>StaffModel</name>
    <message>
        <source>Staff no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>柜员</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>值班经理</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Locked (wrong passwords)</source>
        <translation>已锁定（密码错误过多）</translation>
    </message>
    <message>
        <source>Approvals locked (wrong passwords)</source>
        <translation>授权已锁定（密码错误）</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>在用</translation>
    </message>
</context>
</TS>