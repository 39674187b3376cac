package runner

import "syscall"

// KillWithParent sets attr so that the process it starts is killed when
// this one ends, however it ends (SIGKILL included): nothing a killed
// grader or runner started goes on writing into folders the next one
// removes. Linux sends the signal when the thread that started the process
// ends; Go ends threads only when a goroutine locked to one ends, which
// the workbook's never do.
func KillWithParent(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }
